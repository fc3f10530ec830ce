package io.rebound.correlation;

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
 * Operators' rules over REST: checked before they are stored, effective for the next
 * event, explainable without storing anything.
 */
@IntegrationTest
class RulesApiIntegrationTests {

	@LocalServerPort
	int port;

	Http http;

	String id;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		this.id = "rule-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void servesTheBuiltInPack() {
		JsonNode rules = this.http.get("/api/correlation/rules").json();

		assertThat(rules.get("items").valueStream().map((r) -> r.get("id").asString()).toList())
			.contains("connection-refused", "auth-failure", "out-of-memory", "disk-full", "agent-unresponsive");
		JsonNode auth = this.http.get("/api/correlation/rules/auth-failure").json();
		assertThat(auth.get("origin").asString()).isEqualTo("builtin");
		assertThat(auth.get("error_class").asString()).isEqualTo("fatal");
		assertThat(auth.get("recovery").asString()).isEqualTo("human");
	}

	@Test
	void loadsTheOperatorsRuleFileAtStartUp() {
		JsonNode rule = this.http.get("/api/correlation/rules/it-gpu-fault").json();

		assertThat(rule.get("origin").asString()).isEqualTo("file");
		String event = Http.json(Map.of("source", this.id, "type", "gpu", "severity", "high", "message",
				"NVRM: Xid 79, GPU has fallen off the bus"));
		assertThat(this.http.post("/api/correlation/explain", event).json().get("rule").get("cause").asString())
			.isEqualTo("gpu_fault");
	}

	@Test
	void aRegexThatDoesNotCompileIsA400NamingIt() {
		Http.Response response = this.http.put("/api/correlation/rules/" + this.id, Http.json(Map.of("match",
				List.of(Map.of("field", "message", "op", "matches", "value", "([oops")), "cause", "oops")));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("match[0].value");
		assertThat(this.http.get("/api/correlation/rules/" + this.id).status()).isEqualTo(404);
	}

	@Test
	void aMisspeltKeyIsA400NotASilentlyIgnoredLine() {
		Http.Response response = this.http.put("/api/correlation/rules/" + this.id,
				"{\"mtach\": [], \"cause\": \"x\"}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("detail").asString()).contains("mtach");
	}

	@Test
	void aNewRuleClassifiesTheNextEventAndExplainSaysSoWithoutStoringIt() {
		String source = this.id + "-agent";
		Map<String, Object> rule = Map.of("match",
				List.of(Map.of("field", "message", "op", "contains", "value", "vector index " + this.id + " corrupt"),
						Map.of("field", "context.shard", "op", "exists")),
				"cause", "index_corrupt", "confidence", 0.95, "category", "database", "error_class", "recoverable",
				"recovery", "level:4", "incident", Map.of("group", "source", "min_errors", 1));
		Http.Response created = this.http.put("/api/correlation/rules/" + this.id, Http.json(rule));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(this.http.put("/api/correlation/rules/" + this.id, Http.json(rule)).status()).isEqualTo(200);

		String event = Http.json(Map.of("source", source, "type", "search_error", "severity", "high", "message",
				"Vector index " + this.id + " corrupt at segment 17", "context", Map.of("shard", 3)));
		JsonNode explained = this.http.post("/api/correlation/explain", event).json();

		assertThat(explained.get("rule").get("rule_id").asString()).isEqualTo(this.id);
		assertThat(explained.get("rule").get("cause").asString()).isEqualTo("index_corrupt");
		assertThat(explained.get("rule").get("category").asString()).isEqualTo("database");
		assertThat(explained.get("error").get("exists").asBoolean()).isFalse();
		assertThat(explained.get("incident").get("decision").asString()).isEqualTo("open");
		assertThat(explained.get("incident").get("key").asString()).isEqualTo("cause:index_corrupt@" + source);
		assertThat(explained.get("incident").get("why").asString()).contains("1 of 1 open errors");
		String errorId = explained.get("error").get("id").asString();
		assertThat(this.http.get("/api/errors/" + errorId).status()).as("explain stores nothing").isEqualTo(404);

		assertThat(this.http.post("/api/errors", event).status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode again = this.http.post("/api/correlation/explain", event).json();
			assertThat(again.get("error").get("exists").asBoolean()).isTrue();
			assertThat(again.get("incident").get("decision").asString()).isEqualTo("join");
		});
		assertThat(this.http.get("/api/errors/" + errorId).json().get("category").asString()).isEqualTo("database");
	}

	@Test
	void aRuleThatSetsTheFingerprintGroupsEventsFromManyAgentsIntoOneError() {
		Map<String, Object> rule = Map.of("priority", 50, "match",
				List.of(Map.of("field", "message", "op", "contains", "value", "shard " + this.id + " offline")),
				"cause", "shard_offline", "fingerprint", List.of("cause", "type"));
		assertThat(this.http.put("/api/correlation/rules/" + this.id, Http.json(rule)).status()).isEqualTo(201);

		JsonNode first = this.http
			.post("/api/correlation/explain", Http.json(Map.of("source", "a-" + this.id, "type", "search", "severity",
					"high", "message", "Shard " + this.id + " offline since 10:02")))
			.json();
		JsonNode second = this.http
			.post("/api/correlation/explain", Http.json(Map.of("source", "b-" + this.id, "type", "search", "severity",
					"high", "message", "shard " + this.id + " offline, retrying")))
			.json();

		assertThat(first.get("error").get("id").asString()).isEqualTo(second.get("error").get("id").asString());
		assertThat(first.get("fingerprint").get("inputs").get("rule").asString()).isEqualTo("rule:" + this.id);
		assertThat(first.get("fingerprint").get("inputs").get("parts").get(0).asString()).isEqualTo("shard_offline");
	}

	@Test
	void deletingABuiltInRuleDisablesIt() {
		String event = Http.json(Map.of("source", this.id, "type", "io", "severity", "high", "message",
				"OSError: [Errno 24] Too many open files"));
		assertThat(this.http.post("/api/correlation/explain", event).json().get("rule").get("cause").asString())
			.isEqualTo("too_many_open_files");

		assertThat(this.http.delete("/api/correlation/rules/too-many-open-files").status()).isEqualTo(204);
		try {
			JsonNode rule = this.http.get("/api/correlation/rules/too-many-open-files").json();
			assertThat(rule.get("enabled").asBoolean()).isFalse();
			assertThat(rule.get("origin").asString()).isEqualTo("api");
			assertThat(this.http.post("/api/correlation/explain", event).json().get("rule").isNull()).isTrue();
		}
		finally {
			JsonNode rule = this.http.get("/api/correlation/rules/too-many-open-files").json();
			((tools.jackson.databind.node.ObjectNode) rule).put("enabled", true);
			((tools.jackson.databind.node.ObjectNode) rule).remove(List.of("origin", "updated_by", "updated_at"));
			assertThat(this.http.put("/api/correlation/rules/too-many-open-files", rule.toString()).status())
				.isEqualTo(200);
		}
	}

	@Test
	void explainingAnInvalidEventIsTheSame400AsIngest() {
		Http.Response response = this.http.post("/api/correlation/explain", "{\"source\":\"x\"}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("type").asString()).isEqualTo("urn:rebound:problem:invalid-event");
	}

}
