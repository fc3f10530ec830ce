package io.rebound.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may do what, over real HTTP: keys and roles, an agent's key bound to its agents,
 * keys rotated and revoked, and every operator action in the audit log.
 */
@IntegrationTest
class SecurityIntegrationTests {

	@LocalServerPort
	int port;

	Http operator;

	String tag;

	@BeforeEach
	void setUp() {
		this.operator = new Http(this.port);
		this.tag = UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void withoutAKeyOnlyHealthAndTheSchemaAnswer() {
		Http anonymous = new Http(this.port, null);

		Http.Response errors = anonymous.get("/api/errors");
		assertThat(errors.status()).isEqualTo(401);
		assertThat(errors.contentType()).startsWith("application/problem+json");
		assertThat(errors.json().get("type").asString()).isEqualTo("urn:rebound:problem:unauthenticated");
		assertThat(anonymous.post("/api/errors", "{}").status()).isEqualTo(401);
		assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(401);
		assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
		assertThat(anonymous.get("/api/schemas/error-event-v1.json").status()).isEqualTo(200);
	}

	@Test
	void aManagementBodyOverOneMebibyteIsA413() {
		Http.Response response = this.operator.put("/api/correlation/rules/big-" + this.tag,
				"{\"description\":\"" + "x".repeat(1_100_000) + "\"}");

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.json().get("type").asString()).isEqualTo("urn:rebound:problem:body-too-large");
	}

	@Test
	void corsIsClosedUnlessConfigured() {
		Http browser = new Http(this.port).withHeader("Origin", "https://evil.example");

		Http.Response response = browser.get("/api/errors");

		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void aKeyMayAlsoComeAsABearerToken() {
		Http bearer = new Http(this.port, null).withHeader("Authorization", "Bearer " + Http.OPERATOR_KEY);

		assertThat(bearer.get("/api/errors").status()).isEqualTo(200);
		assertThat(bearer.get("/actuator/prometheus").status()).isEqualTo(200);
	}

	@Test
	void aWrongKeyIsRefusedWithoutBeingEchoed() {
		String wrong = "rbk_nosuchky_" + "x".repeat(40);
		Http.Response response = new Http(this.port, wrong).get("/api/errors");

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.json().get("type").asString()).isEqualTo("urn:rebound:problem:invalid-key");
		assertThat(response.body()).doesNotContain(wrong);
	}

	@Test
	void aViewerReadsButMayNotAct() {
		Http viewer = new Http(this.port, create("viewer", List.of()).get("secret").asString());

		assertThat(viewer.get("/api/errors").status()).isEqualTo(200);
		assertThat(viewer.get("/api/incidents").status()).isEqualTo(200);
		assertThat(viewer.get("/actuator/prometheus").status()).isEqualTo(200);
		Http.Response resolve = viewer.post("/api/errors/" + UUID.randomUUID() + "/resolve", "{}");
		assertThat(resolve.status()).isEqualTo(403);
		assertThat(resolve.json().get("detail").asString()).contains("viewer");
		assertThat(viewer.get("/api/keys").status()).isEqualTo(403);
		assertThat(viewer.post("/api/errors", event("x-" + this.tag)).status()).isEqualTo(403);
	}

	@Test
	void anAgentKeySpeaksOnlyForItsOwnAgents() throws Exception {
		String mine = "planner-" + this.tag;
		String other = "executor-" + this.tag;
		Http agent = new Http(this.port, create("agent", List.of(mine)).get("secret").asString());

		assertThat(agent.post("/api/errors", event(mine)).status()).isEqualTo(202);
		Http.Response foreign = agent.post("/api/errors", "[" + event(mine) + "," + event(other) + "]");
		assertThat(foreign.status()).isEqualTo(403);
		assertThat(foreign.json().get("errors").get(0).get("index").asInt()).isEqualTo(1);
		assertThat(agent.post("/api/agents/" + other + "/heartbeat", "{}").status()).isEqualTo(403);
		assertThat(agent.post("/api/agents/" + mine + "/heartbeat", "{}").status()).isEqualTo(202);
		assertThat(agent.post("/api/agents", Http.json(Map.of("id", other))).status()).isEqualTo(403);
		assertThat(agent.get("/api/errors").status()).isEqualTo(403);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.operator.get("/api/errors?source=" + mine).json().get("items")).hasSize(1));
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.operator.get("/api/errors?source=" + other).json().get("items"))
				.as("nothing of a refused request is stored")
				.isEmpty());
	}

	@Test
	void rotatingAKeyStopsTheOldOneAndRevokingStopsTheNew() {
		JsonNode created = create("viewer", List.of());
		String first = created.get("secret").asString();
		String id = created.get("key").get("id").asString();
		assertThat(this.operator.get("/api/keys").body()).doesNotContain(first)
			.contains(created.get("key").get("prefix").asString());

		JsonNode rotated = this.operator.post("/api/keys/" + id + "/rotate", "{}").json();
		String second = rotated.get("secret").asString();

		assertThat(new Http(this.port, first).get("/api/errors").status()).isEqualTo(401);
		assertThat(new Http(this.port, second).get("/api/errors").status()).isEqualTo(200);
		assertThat(this.operator.delete("/api/keys/" + rotated.get("key").get("id").asString()).status())
			.isEqualTo(204);
		assertThat(new Http(this.port, second).get("/api/errors").status()).isEqualTo(401);
	}

	@Test
	void aKeyRequestWithFaultsNamesThemAll() {
		Http.Response response = this.operator.post("/api/keys",
				Http.json(Map.of("name", "", "role", "agent", "agent_ids", List.of())));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").toString()).contains("name", "owner", "agent_ids");
	}

	@Test
	void anAgentKeyComesWithItsAgentsControlSecretWhichAnOperatorCanRotate() {
		String agent = "signed-" + this.tag;
		JsonNode first = create("agent", List.of(agent));
		String secret = first.get("control_secrets").get(agent).asString();
		assertThat(secret).startsWith("rbs_").hasSizeGreaterThan(40);
		assertThat(create("agent", List.of(agent)).get("control_secrets").get(agent).asString())
			.as("a second key for the agent does not change what it checks calls with")
			.isEqualTo(secret);
		assertThat(create("viewer", List.of()).get("control_secrets").isEmpty()).isTrue();

		Http viewer = new Http(this.port, create("viewer", List.of()).get("secret").asString());
		assertThat(viewer.post("/api/agents/" + agent + "/control-secret", "{}").status()).isEqualTo(403);
		Http.Response rotated = this.operator.post("/api/agents/" + agent + "/control-secret", "{}");
		assertThat(rotated.status()).isEqualTo(200);
		assertThat(rotated.json().get("agent_id").asString()).isEqualTo(agent);
		assertThat(rotated.json().get("control_secret").asString()).startsWith("rbs_").isNotEqualTo(secret);
		assertThat(this.operator.get("/api/audit?action=agent.control-secret.rotate&limit=50").body()).contains(agent)
			.doesNotContain(rotated.json().get("control_secret").asString());
		assertThat(this.operator.post("/api/agents/no%20spaces/control-secret", "{}").status()).isEqualTo(400);
	}

	@Test
	void operatorsActionsAreAudited() {
		JsonNode created = create("viewer", List.of());
		String keyId = created.get("key").get("id").asString();

		JsonNode audit = this.operator.get("/api/audit?action=key.create&limit=50").json();

		JsonNode entry = audit.get("items")
			.valueStream()
			.filter((e) -> keyId.equals(e.get("target").asString()))
			.findFirst()
			.orElseThrow();
		assertThat(entry.get("actor").asString()).isEqualTo("bootstrap");
		assertThat(entry.get("role").asString()).isEqualTo("operator");
		assertThat(entry.get("remote_addr").asString()).isNotBlank();
		assertThat(entry.get("detail").get("owner").asString()).isEqualTo("team-" + this.tag);
		assertThat(audit.toString()).doesNotContain(created.get("secret").asString());
	}

	@Test
	void secretsDoNotAppearInDiagnosticsOrKeyListings() {
		JsonNode created = create("operator", List.of());

		assertThat(this.operator.get("/api/diagnostics").body()).doesNotContain(Http.OPERATOR_KEY)
			.doesNotContain(created.get("secret").asString());
		assertThat(this.operator.get("/api/keys").body()).doesNotContain(Http.OPERATOR_KEY)
			.doesNotContain(created.get("secret").asString());
	}

	private JsonNode create(String role, List<String> agents) {
		Http.Response response = this.operator.post("/api/keys", Http.json(
				Map.of("name", role + "-" + this.tag, "owner", "team-" + this.tag, "role", role, "agent_ids", agents)));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json();
	}

	private static String event(String source) {
		return Http.json(Map.of("source", source, "type", "t", "severity", "low", "message", "m"));
	}

}
