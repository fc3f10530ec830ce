package io.rebound.correlation;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spike detection per error against a real PostgreSQL: an error with a week of history
 * (written straight into its hourly counts, to save the week) that comes back in force is
 * flagged as escalating, and raises its incident's severity by one step.
 */
@IntegrationTest
class EscalationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void anErrorThatComesBackInForceIsFlaggedAndRaisesItsIncidentsSeverity() throws Exception {
		Http http = new Http(this.port);
		String source = "escalating-" + UUID.randomUUID().toString().substring(0, 8);
		waitIfTheHourIsEnding();
		Map<String, Object> crash = Map.of("source", source, "type", "crash", "severity", "high", "message",
				"worker crashed: segfault in libtorch");
		http.post("/api/errors", Http.json(crash));
		JsonNode error = await().atMost(Duration.ofSeconds(15)).until(() -> {
			JsonNode items = http.get("/api/errors?source=" + source).json().get("items");
			return items.isEmpty() ? null : items.get(0);
		}, (e) -> e != null);
		UUID id = UUID.fromString(error.get("id").asString());
		JsonNode incident = await().atMost(Duration.ofSeconds(15)).until(() -> {
			JsonNode items = http.get("/api/incidents?root_agent=" + source).json().get("items");
			return items.isEmpty() ? null : items.get(0);
		}, (i) -> i != null);
		assertThat(incident.get("severity").asString()).isEqualTo("high");
		// a week behind it: first seen three days ago, at most two events an hour since
		Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
		this.jdbc.update("UPDATE errors SET first_seen = ? WHERE id = ?",
				java.sql.Timestamp.from(hour.minus(3, ChronoUnit.DAYS)), id);
		for (int h = 1; h <= 72; h++) {
			this.jdbc.update("INSERT INTO error_hourly (error_id, hour, count) VALUES (?, ?, ?)", id,
					java.sql.Timestamp.from(hour.minus(h, ChronoUnit.HOURS)), 1 + (h % 2));
		}
		Thread.sleep(1000);
		assertThat(http.get("/api/errors/" + id).json().get("escalating_since").isNull())
			.as("one event this hour is no spike")
			.isTrue();

		List<Map<String, Object>> burst = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			burst.add(crash);
		}
		http.post("/api/errors", Http.json(burst));

		JsonNode escalated = await().atMost(Duration.ofSeconds(15))
			.until(() -> http.get("/api/errors/" + id).json(), (e) -> !e.get("escalating_since").isNull());
		assertThat(escalated.get("escalation").get("baseline").asLong()).isEqualTo(2);
		assertThat(escalated.get("escalation").get("forecast").asLong()).isEqualTo(10);
		assertThat(escalated.get("escalation").get("count").asLong()).isBetween(10L, 13L);
		String incidentId = incident.get("id").asString();
		JsonNode raised = await().atMost(Duration.ofSeconds(15))
			.until(() -> http.get("/api/incidents/" + incidentId).json(),
					(i) -> i.get("severity").asString().equals("critical"));
		assertThat(raised.get("timeline").valueStream().map((t) -> t.get("kind").asString()))
			.contains("error_escalated");
	}

	/** The burst and its history must fall in one hour. */
	private static void waitIfTheHourIsEnding() throws InterruptedException {
		Instant now = Instant.now();
		Instant next = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
		if (Duration.between(now, next).toSeconds() < 60) {
			Thread.sleep(Duration.between(now, next).toMillis() + 1000);
		}
	}

}
