package io.rebound.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class RestIngestIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	Http http;

	String agent;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		this.agent = "planner-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void pythonStylePayloadTravelsThroughKafkaIntoPostgres() {
		String body = """
				{"source": "%s", "type": "connection_error", "severity": "high",
				 "message": "Connection refused to 10.0.0.7:5432 after 3 retries",
				 "timestamp": "2026-11-22T14:03:07.123456",
				 "context": {"traceback": "Traceback (most recent call last):\\n  File \\"agent.py\\", line 42\\nConnectionRefusedError"}}
				"""
			.formatted(this.agent);
		Http.Response response = this.http.post("/api/errors", body);

		assertThat(response.status()).isEqualTo(202);
		JsonNode accepted = response.json().get("accepted").get(0);
		assertThat(accepted.get("topic").asString()).isEqualTo("rebound.errors.high");
		String errorId = accepted.get("error_id").asString();
		String eventId = accepted.get("event_id").asString();
		// given by Rebound, in time order on its clock
		assertThat(UUID.fromString(eventId).version()).isEqualTo(7);
		assertThat(UUID.fromString(eventId).getMostSignificantBits() >>> 16)
			.isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());

		JsonNode error = awaitError(errorId, 1);
		assertThat(error.get("source").asString()).isEqualTo(this.agent);
		assertThat(error.get("severity").asString()).isEqualTo("high");
		assertThat(error.get("category").asString()).isEqualTo("network");
		assertThat(error.get("status").asString()).isEqualTo("open");
		assertThat(error.get("first_seen").asString()).isEqualTo("2026-11-22T14:03:07.123456Z");
		JsonNode latest = error.get("latest_event");
		assertThat(latest.get("event_id").asString()).isEqualTo(eventId);
		assertThat(latest.get("context").get("traceback").asString()).contains("ConnectionRefusedError");
		assertThat(error.get("grouping").get("message").asString())
			.isEqualTo("Connection refused to <ip> after <n> retries");
	}

	@Test
	void repeatsWithDifferentNumbersGroupIntoOneError() {
		List<Map<String, Object>> events = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			events.add(event("timeout", "medium", "Request " + (1000 + i) + " timed out after " + (30 + i) + "s"));
		}
		Http.Response response = this.http.post("/api/errors", Http.json(events));

		assertThat(response.status()).isEqualTo(202);
		JsonNode accepted = response.json().get("accepted");
		assertThat(accepted).hasSize(5);
		String errorId = accepted.get(0).get("error_id").asString();
		accepted.forEach((a) -> assertThat(a.get("error_id").asString()).isEqualTo(errorId));
		awaitError(errorId, 5);
	}

	@Test
	void anInvalidItemRejectsTheWholeRequestAndNamesEachProblem() {
		List<Map<String, Object>> events = List.of(event("timeout", "high", "fine"),
				event("timeout", "urgent", "bad severity"), Map.of("source", "bad agent id!", "type", "x"));
		Http.Response response = this.http.post("/api/errors", Http.json(events));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("type").asString()).isEqualTo("urn:rebound:problem:invalid-event");
		List<String> fields = new ArrayList<>();
		problem.get("errors").forEach((e) -> fields.add(e.get("index").asInt() + ":" + e.get("field").asString()));
		assertThat(fields).containsExactlyInAnyOrder("1:severity", "2:source", "2:severity", "2:message");
		assertThat(
				this.jdbc.queryForObject("SELECT count(*) FROM error_events WHERE source = ?", Long.class, this.agent))
			.isZero();
	}

	@Test
	void anEventAnAgentHeldBackIsPlacedWhenItWasReportedOnReboundsClock() {
		Map<String, Object> held = new java.util.HashMap<>(event("timeout", "high", "held in the spool"));
		held.put("age_ms", 600_000);
		java.time.Instant before = java.time.Instant.now();
		Http.Response response = this.http.post("/api/errors",
				Http.json(List.of(held, event("timeout", "high", "fresh"))));

		assertThat(response.status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM error_events WHERE source = ?", Long.class,
					this.agent) == 2);
		Map<String, java.time.Instant> received = new java.util.HashMap<>();
		this.jdbc.query("SELECT message, received_at FROM error_events WHERE source = ?",
				(org.springframework.jdbc.core.RowCallbackHandler) (rs) -> received.put(rs.getString(1),
						rs.getTimestamp(2).toInstant()),
				this.agent);
		java.time.Instant after = java.time.Instant.now();
		assertThat(received.get("fresh")).isBetween(before.minusMillis(1), after);
		assertThat(received.get("held in the spool")).as("its receipt less the 10 min the agent held it")
			.isBetween(before.minusSeconds(600).minusMillis(1), after.minusSeconds(600))
			.isEqualTo(received.get("fresh").minusSeconds(600));
	}

	@Test
	void anAgeThatIsNotACountOfMillisecondsIsRefused() {
		Map<String, Object> negative = new java.util.HashMap<>(event("timeout", "high", "negative"));
		negative.put("age_ms", -5);
		Map<String, Object> text = new java.util.HashMap<>(event("timeout", "high", "text"));
		text.put("age_ms", "5 s");
		Http.Response response = this.http.post("/api/errors", Http.json(List.of(negative, text)));

		assertThat(response.status()).isEqualTo(400);
		List<String> fields = new ArrayList<>();
		response.json()
			.get("errors")
			.forEach((e) -> fields.add(e.get("index").asInt() + ":" + e.get("field").asString()));
		assertThat(fields).containsExactlyInAnyOrder("0:age_ms", "1:age_ms");
	}

	@Test
	void malformedJsonSaysWhere() {
		Http.Response response = this.http.post("/api/errors", "{\"source\": \"a\",\n \"type\": }");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains("line 2");
	}

	@Test
	void moreEventsThanAllowedIsContentTooLarge() {
		List<Map<String, Object>> events = new ArrayList<>();
		for (int i = 0; i < 1001; i++) {
			events.add(event("timeout", "low", "m"));
		}
		Http.Response response = this.http.post("/api/errors", Http.json(events));

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void aBodyOverTheSizeLimitIsContentTooLargeAndPublishesNothing() {
		String padding = "x".repeat(8000);
		StringBuilder body = new StringBuilder("[");
		for (int i = 0; i < 2100; i++) {
			body.append(i == 0 ? "" : ",")
				.append(Http.json(event("timeout", "low", "m")).replace("\"m\"", "\"m\",\"pad\":\"" + padding + "\""));
		}
		Http.Response response = this.http.post("/api/errors", body.append("]").toString());

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("type").asString()).isEqualTo("urn:rebound:problem:body-too-large");
	}

	@Test
	void theWrongContentTypeIsUnsupportedMediaType() {
		Http.Response response = this.http.post("/api/errors", "text/plain", "hello".getBytes());

		assertThat(response.status()).isEqualTo(415);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void servesTheEventSchema() {
		Http.Response response = this.http.get("/api/schemas/error-event-v1.json");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("required").toString()).contains("source", "type", "severity", "message");
	}

	private Map<String, Object> event(String type, String severity, String message) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("source", this.agent);
		event.put("type", type);
		event.put("severity", severity);
		event.put("message", message);
		return event;
	}

	private JsonNode awaitError(String errorId, long count) {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Http.Response response = this.http.get("/api/errors/" + errorId);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json().get("count").asLong()).isEqualTo(count);
		});
		return this.http.get("/api/errors/" + errorId).json();
	}

}
