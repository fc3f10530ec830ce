package io.rebound.agents;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry and heartbeats over real HTTP and Kafka, with the sweeper running as it
 * does in production.
 */
@IntegrationTest
class AgentsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	EmbeddedKafkaBroker broker;

	Http http;

	String agent;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		this.agent = "agent-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void registersAnAgentAndUpdatesIt() {
		Http.Response created = register(Map.of("id", this.agent, "kind", "planner", "criticality", "critical",
				"control_url", "http://localhost:9000/control", "labels", Map.of("team", "search")));
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		assertThat(created.json().get("kind").asString()).isEqualTo("planner");
		assertThat(created.json().get("state").asString()).isEqualTo("unknown");

		register(Map.of("id", this.agent, "kind", "planner", "version", "2.0"));
		JsonNode agent = this.http.get("/api/agents/" + this.agent).json().get("agent");
		assertThat(agent.get("version").asString()).isEqualTo("2.0");
		assertThat(agent.get("criticality").asString()).isEqualTo("important");
	}

	@Test
	void loadsTheYamlRegistryAtStartUp() {
		JsonNode planner = this.http.get("/api/agents/registry-planner").json().get("agent");

		assertThat(planner.get("registered_by").asString()).isEqualTo("file");
		assertThat(planner.get("depends_on").get(0).asString()).isEqualTo("registry-db");
		assertThat(planner.get("policy").asString()).isEqualTo("critical");
		assertThat(planner.get("labels").get("team").asString()).isEqualTo("search");
		assertThat(this.http.get("/api/agents/registry-db").json().get("agent").get("criticality").asString())
			.isEqualTo("essential");
	}

	@Test
	void refusesADependencyCycleAndSaysWhere() {
		String a = this.agent + "-a";
		String b = this.agent + "-b";
		String c = this.agent + "-c";
		assertThat(register(Map.of("id", a, "depends_on", List.of(b))).status()).isEqualTo(200);
		assertThat(register(Map.of("id", b, "depends_on", List.of(c))).status()).isEqualTo(200);

		Http.Response cycle = register(Map.of("id", c, "depends_on", List.of(a)));

		assertThat(cycle.status()).isEqualTo(400);
		assertThat(cycle.contentType()).startsWith("application/problem+json");
		assertThat(cycle.json().get("errors").get(0).asString()).contains(c + " -> " + a + " -> " + b + " -> " + c);
		assertThat(this.http.get("/api/agents/" + c).status()).isEqualTo(404);
	}

	@Test
	void refusesUnknownPoliciesAndBadUrlsFieldByField() {
		Http.Response response = register(
				Map.of("id", this.agent, "policy", "gold-plated", "health_url", "ftp://x/", "criticality", "vital"));

		assertThat(response.status()).isEqualTo(400);
		List<String> errors = new ArrayList<>();
		response.json().get("errors").forEach((e) -> errors.add(e.asString()));
		assertThat(errors).anySatisfy((e) -> assertThat(e).startsWith("policy:"))
			.anySatisfy((e) -> assertThat(e).startsWith("health_url:"))
			.anySatisfy((e) -> assertThat(e).startsWith("criticality:"));
	}

	@Test
	void anAgentsClockSkewIsMeasuredOnItsEventsAndShown() {
		assertThat(register(Map.of("id", this.agent)).status()).isEqualTo(200);
		for (int i = 0; i < 5; i++) {
			this.http.post("/api/errors",
					Http.json(Map.of("source", this.agent, "type", "timeout", "severity", "low", "message",
							"call " + i + " timed out", "timestamp",
							java.time.Instant.now().minusSeconds(600).toString())));
		}
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			JsonNode agent = this.http.get("/api/agents/" + this.agent).json().get("agent");
			assertThat(agent.get("clock_skew_ms").asLong()).as("ten minutes behind").isBetween(595_000L, 610_000L);
			assertThat(agent.get("clock_skew_at").isNull()).isFalse();
		});
		JsonNode skewed = this.http.get("/api/diagnostics").json().get("agents").get("clock_skewed");
		assertThat(skewed.valueStream().map((a) -> a.get("id").asString())).contains(this.agent);
		assertThat(this.http.get("/actuator/prometheus").body()).containsPattern("(?m)^rebound_agents_clock_skewed\\b");
	}

	@Test
	void refusesControlAndHealthUrlsOutsideTheAllowlistNamingTheField() {
		Http.Response response = register(Map.of("id", this.agent, "control_url", "http://169.254.169.254/latest/",
				"health_url", "https://attacker.example.com/health"));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").valueStream().map(JsonNode::asString)).containsExactly(
				"control_url: host '169.254.169.254' is not in rebound.agents.endpoints.allowed [localhost, 127.0.0.0/8, "
						+ "::1/128, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7, *.local, *.internal, *.svc, "
						+ "*.cluster.local] (bare service names are allowed too)",
				"health_url: host 'attacker.example.com' is not in rebound.agents.endpoints.allowed [localhost, "
						+ "127.0.0.0/8, ::1/128, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7, *.local, *.internal, "
						+ "*.svc, *.cluster.local] (bare service names are allowed too)");
		assertThat(this.http.get("/api/agents/" + this.agent).status()).isEqualTo(404);
		assertThat(register(Map.of("id", this.agent, "control_url", "http://planner-1:9000/control", "health_url",
				"http://10.1.2.3:8080/health"))
			.status()).as("a bare service name and a private address are allowed").isEqualTo(200);
	}

	@Test
	void anAgentThatStopsHeartbeatingFailsAndItsFailureBecomesAnError() throws Exception {
		for (int i = 0; i < 4; i++) {
			assertThat(this.http.post("/api/agents/" + this.agent + "/heartbeat", "{\"status\":\"ok\"}").status())
				.isEqualTo(202);
			Thread.sleep(300);
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(state()).isEqualTo("healthy"));

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(state()).isEqualTo("failed"));
		JsonNode details = this.http.get("/api/agents/" + this.agent).json();
		List<String> states = new ArrayList<>();
		details.get("health_history").forEach((t) -> states.add(t.get("to").asString()));
		// newest first: failed, each step before it better, back to healthy; a sweep a
		// loaded machine delays (or one skipped while ingest lags) may skip a step
		int healthy = states.indexOf("healthy");
		assertThat(healthy).as(states.toString()).isPositive();
		assertThat(states.get(0)).isEqualTo("failed");
		assertThat(List.of("failed", "critical", "degraded")).as(states.toString())
			.containsSubsequence(states.subList(0, healthy));

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode errors = this.http.get("/api/errors?source=" + this.agent + "&type=heartbeat_timeout").json();
			assertThat(errors.get("items")).isNotEmpty();
			assertThat(errors.get("items").get(0).get("severity").asString()).isEqualTo("critical");
		});
		assertThat(this.http.get("/api/agents/" + this.agent).json().get("open_errors")).isNotEmpty();
		assertThat(this.http.get("/api/errors?source=" + this.agent + "&type=health_degraded").json().get("items"))
			.as("a missed heartbeat on the way to failed is no degradation event of its own")
			.isEmpty();
	}

	@Test
	void aMetricThatLeavesItsBaselineBecomesAnAnomalyEventWithTheBaselineAndScore() {
		java.util.Random random = new java.util.Random(4);
		for (int i = 0; i < 25; i++) {
			assertThat(this.http
				.post("/api/agents/" + this.agent + "/heartbeat",
						"{\"response_time_ms\": " + (100 + random.nextInt(9)) + "}")
				.status()).isEqualTo(202);
		}
		// far above its usual ~104 ms, under the 2 s limit
		this.http.post("/api/agents/" + this.agent + "/heartbeat", "{\"response_time_ms\": 900}");
		this.http.post("/api/agents/" + this.agent + "/heartbeat", "{\"response_time_ms\": 950}");

		JsonNode anomaly = await().atMost(Duration.ofSeconds(20)).until(() -> {
			JsonNode items = this.http.get("/api/errors?source=" + this.agent + "&type=anomaly").json().get("items");
			return items.isEmpty() ? null : items.get(0);
		}, (a) -> a != null);
		assertThat(anomaly.get("severity").asString()).isEqualTo("low");
		assertThat(anomaly.get("count").asLong()).isEqualTo(1);
		JsonNode context = this.http.get("/api/errors/" + anomaly.get("id").asString())
			.json()
			.get("latest_event")
			.get("context");
		assertThat(context.get("metric").asString()).isEqualTo("response_time_ms");
		assertThat(context.get("value").asDouble()).isEqualTo(950);
		assertThat(context.get("baseline").asDouble()).isBetween(100.0, 108.0);
		assertThat(context.get("score").asDouble()).isGreaterThan(3.5);
		assertThat(context.get("baseline_from").asString()).isEqualTo("agent");
	}

	@Test
	void anAgentThatSaysItIsStoppingIsNotReportedAsFailed() throws Exception {
		this.http.post("/api/agents/" + this.agent + "/heartbeat", "{}");
		Thread.sleep(300);
		this.http.post("/api/agents/" + this.agent + "/heartbeat", "{\"status\":\"stopping\"}");

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(state()).isEqualTo("stopped"));
		await().during(Duration.ofSeconds(5))
			.atMost(Duration.ofSeconds(8))
			.untilAsserted(() -> assertThat(state()).isEqualTo("stopped"));
		assertThat(this.http.get("/api/errors?source=" + this.agent).json().get("items")).isEmpty();
	}

	@Test
	void resourcesAreJudgedWithTheLimitsOfTheAgentsKind() {
		// the test context limits kind queue-worker to a queue depth of 100
		this.http.post("/api/agents", Http.json(Map.of("id", this.agent, "kind", "queue-worker")));
		String other = this.agent + "-other";
		this.http.post("/api/agents", Http.json(Map.of("id", other, "kind", "batch")));
		for (String id : List.of(this.agent, other)) {
			assertThat(this.http.post("/api/agents/" + id + "/heartbeat", "{\"queue_depth\": 500, \"cpu\": 0.99}")
				.status()).isEqualTo(202);
		}

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(state()).isEqualTo("degraded"));
		assertThat(this.http.get("/api/agents/" + this.agent).json().get("agent").get("state_reason").asString(""))
			.contains("queue depth 500.0 (limit 100.0)");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode errors = this.http.get("/api/errors?source=" + this.agent + "&type=health_degraded").json();
			assertThat(errors.get("items")).hasSize(1);
			JsonNode error = errors.get("items").get(0);
			assertThat(error.get("severity").asString()).isEqualTo("medium");
			assertThat(error.get("message").asString()).contains("is degraded: queue depth 500.0");
			JsonNode rules = this.http.get("/api/errors/" + error.get("id").asString()).json().get("rules");
			assertThat(rules.get("rule_id").asString()).isEqualTo("agent-degraded");
			assertThat(rules.get("cause").asString()).isEqualTo("agent_degraded");
		});
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.http.get("/api/agents/" + other).json().get("agent").get("state").asString(),
					"healthy"::equals);
	}

	@Test
	void heartbeatsOnKafkaWithBadMetricsDegradeTheAgent() {
		try (Producer<String, byte[]> producer = new DefaultKafkaProducerFactory<>(
				KafkaTestUtils.producerProps(this.broker), new StringSerializer(), new ByteArraySerializer())
			.createProducer()) {
			producer.send(new ProducerRecord<>("rebound.heartbeats", this.agent,
					"{\"status\":\"ok\",\"response_time_ms\":120}".getBytes(StandardCharsets.UTF_8)));
			producer.send(new ProducerRecord<>("rebound.heartbeats", this.agent,
					"{\"status\":\"ok\",\"error_rate\":0.7}".getBytes(StandardCharsets.UTF_8)));
		}

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			JsonNode history = this.http.get("/api/agents/" + this.agent).json().get("health_history");
			assertThat(history).anySatisfy((t) -> {
				assertThat(t.get("to").asString()).isEqualTo("critical");
				assertThat(t.get("cause").asString()).isEqualTo("degraded_performance");
				assertThat(t.get("reason").asString()).contains("error rate 0.7");
			});
		});
		JsonNode agent = this.http.get("/api/agents/" + this.agent).json().get("agent");
		assertThat(agent.get("registered_by").asString()).isEqualTo("heartbeat");
		assertThat(agent.get("last_metrics").get("error_rate").asDouble()).isEqualTo(0.7);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(this.http.get("/api/errors?source=" + this.agent + "&type=degraded_performance")
						.json()
						.get("items")).isNotEmpty());
	}

	@Test
	void anInvalidHeartbeatIsABadRequest() {
		Http.Response response = this.http.post("/api/agents/" + this.agent + "/heartbeat", "{\"error_rate\": 7}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("detail").asString()).contains("error_rate");
	}

	@Test
	void listsAgentsByStateKindAndLabel() {
		register(Map.of("id", this.agent + "-1", "kind", "kind-" + this.agent, "labels", Map.of("zone", "a")));
		register(Map.of("id", this.agent + "-2", "kind", "kind-" + this.agent, "labels", Map.of("zone", "b")));
		register(Map.of("id", this.agent + "-3", "kind", "other"));

		assertThat(ids("kind=kind-" + this.agent)).containsExactly(this.agent + "-1", this.agent + "-2");
		assertThat(ids("kind=kind-" + this.agent + "&label=zone:b")).containsExactly(this.agent + "-2");
		assertThat(ids("kind=kind-" + this.agent + "&state=unknown&limit=1")).containsExactly(this.agent + "-1");
		assertThat(this.http.get("/api/agents?state=sleepy").status()).isEqualTo(400);
	}

	@Test
	void anAgentFirstSeenInItsOwnErrorsIsRegistered() {
		this.http.post("/api/errors",
				"{\"source\":\"" + this.agent + "\",\"type\":\"t\",\"severity\":\"low\",\"message\":\"m\"}");

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(this.http.get("/api/agents/" + this.agent).status()).isEqualTo(200));
		assertThat(this.http.get("/api/agents/" + this.agent).json().get("agent").get("registered_by").asString())
			.isEqualTo("event");
	}

	private List<String> ids(String query) {
		List<String> ids = new ArrayList<>();
		this.http.get("/api/agents?" + query).json().get("items").forEach((a) -> ids.add(a.get("id").asString()));
		return ids;
	}

	private String state() {
		Http.Response response = this.http.get("/api/agents/" + this.agent);
		return (response.status() == 200) ? response.json().get("agent").get("state").asString() : "absent";
	}

	private Http.Response register(Map<String, Object> body) {
		return this.http.post("/api/agents", Http.json(body));
	}

}
