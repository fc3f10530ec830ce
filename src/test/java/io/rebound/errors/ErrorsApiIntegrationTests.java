package io.rebound.errors;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The errors API over real HTTP, on errors stored through the real write path.
 */
@IntegrationTest
class ErrorsApiIntegrationTests {

	private static final AtomicLong OFFSETS = new AtomicLong();

	@LocalServerPort
	int port;

	@Autowired
	ErrorRecorder recorder;

	Http http;

	String agent;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		this.agent = "agent-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void everyFilterReturnsExactlyTheMatchingErrors() {
		Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
		String critical = record(this.agent, "db_down", Severity.CRITICAL, "database primary unreachable", t0).errorId()
			.toString();
		String high = record(this.agent, "timeout", Severity.HIGH, "upstream timed out", t0.plusSeconds(60)).errorId()
			.toString();
		String low = record(this.agent, "disk", Severity.LOW, "disk usage at 81%", t0.plusSeconds(120)).errorId()
			.toString();
		String info = record(this.agent, "note", Severity.INFO, "Config reloaded from /etc/agent.yaml",
				t0.plusSeconds(180))
			.errorId()
			.toString();
		String other = record(this.agent + "-x", "timeout", Severity.HIGH, "upstream timed out", t0).errorId()
			.toString();
		this.http.post("/api/errors/" + low + "/resolve", "{\"by\":\"ops\",\"note\":\"cleaned\"}");
		String by = "source=" + this.agent;

		assertThat(ids(list(by))).containsExactlyInAnyOrder(critical, high, low, info);
		assertThat(ids(list(by + "&severity=high"))).containsExactly(high);
		assertThat(ids(list(by + "&min_severity=high"))).containsExactlyInAnyOrder(critical, high);
		assertThat(ids(list(by + "&severity=low&min_severity=high"))).isEmpty();
		assertThat(ids(list(by + "&type=timeout"))).containsExactly(high);
		assertThat(ids(list(by + "&category=database"))).containsExactly(critical);
		assertThat(ids(list(by + "&status=resolved"))).containsExactly(low);
		assertThat(ids(list(by + "&status=open"))).containsExactlyInAnyOrder(critical, high, info);
		assertThat(ids(list(by + "&since=2026-01-01T00:01:00Z"))).containsExactlyInAnyOrder(high, low, info);
		assertThat(ids(list(by + "&until=2026-01-01T00:02:00Z"))).containsExactlyInAnyOrder(critical, high);
		assertThat(ids(list(by + "&q=TIMED%20OUT"))).containsExactly(high);
		assertThat(ids(list(by + "&q=81%25"))).containsExactly(low);
		assertThat(ids(list("type=timeout&source=" + this.agent + "-x"))).containsExactly(other);
	}

	@Test
	void resolvingAnUnknownErrorIsNotFound() {
		Http.Response response = this.http.post("/api/errors/" + UUID.randomUUID() + "/resolve", "{}");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void aResolvedErrorThatRecursRegressesAndCanBeReopened() {
		UUID id = record(this.agent, "crash", Severity.HIGH, "worker died", Instant.now().minusSeconds(60),
				Instant.now().minusSeconds(60))
			.errorId();

		Http.Response resolved = this.http.post("/api/errors/" + id + "/resolve",
				"{\"note\":\"restarted the worker\",\"by\":\"alice\"}");
		assertThat(resolved.status()).isEqualTo(200);
		assertThat(resolved.json().get("status").asString()).isEqualTo("resolved");
		assertThat(resolved.json().get("resolution").get("resolved_by").asString()).isEqualTo("alice");

		record(this.agent, "crash", Severity.HIGH, "worker died", Instant.now().minusSeconds(30),
				Instant.now().minusSeconds(30));
		assertThat(error(id).get("status").asString())
			.as("an event that reached the bus before the resolution (a backlog drained late)")
			.isEqualTo("resolved");

		record(this.agent, "crash", Severity.HIGH, "worker died", Instant.now().minusSeconds(600));
		JsonNode regressed = error(id);
		assertThat(regressed.get("status").asString())
			.as("an event that arrived after the resolution, from an agent whose clock is ten minutes behind")
			.isEqualTo("regressed");
		assertThat(regressed.get("count").asLong()).isEqualTo(3);
		assertThat(regressed.get("regressed_at").isNull()).isFalse();

		Http.Response reopened = this.http.post("/api/errors/" + id + "/reopen", "");
		assertThat(reopened.json().get("status").asString()).isEqualTo("open");
	}

	@Test
	void recurrencesFromAgentsWhoseClocksAreWrongRegressOnReboundsClock() {
		// ten minutes behind; and Python's naive datetime.now().isoformat() on a host in
		// UTC-5,
		// which reads as five hours behind
		Map<String, java.util.function.Supplier<String>> clocks = Map.of("behind",
				() -> Instant.now().minus(Duration.ofMinutes(10)).toString(), "naive-utc-5",
				() -> LocalDateTime.now(ZoneOffset.ofHours(-5)).toString());
		clocks.forEach((name, clock) -> {
			String source = this.agent + "-" + name;
			String event = Http.json(Map.of("source", source, "type", "crash", "severity", "high", "message",
					"worker died", "timestamp", clock.get()));
			String id = this.http.post("/api/errors", event).json().get("accepted").get(0).get("error_id").asString();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.http.get("/api/errors/" + id).status() == 200);
			assertThat(this.http.post("/api/errors/" + id + "/resolve", "{}").status()).isEqualTo(200);

			this.http.post("/api/errors", Http.json(Map.of("source", source, "type", "crash", "severity", "high",
					"message", "worker died", "timestamp", clock.get())));

			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				JsonNode error = error(UUID.fromString(id));
				assertThat(error.get("status").asString()).as(name).isEqualTo("regressed");
				Instant resolvedAt = Instant.parse(error.get("resolution").get("resolved_at").asString());
				assertThat(Instant.parse(error.get("last_seen").asString())).as("shown as the agent said")
					.isBefore(resolvedAt.minus(Duration.ofMinutes(9)));
				assertThat(Instant.parse(error.get("last_received").asString())).as("decided on arrival")
					.isAfter(resolvedAt);
			});
		});
	}

	@Test
	void aBatchSaysWhichErrorsAreNewAndWhichRegressed() {
		Instant now = Instant.now();
		BatchRecorded first = this.recorder
			.record(List.of(received(this.agent, "crash", "worker died", now.minusSeconds(60)),
					received(this.agent, "crash", "worker died", now.minusSeconds(59))));
		assertThat(first.newErrors()).isEqualTo(1);
		assertThat(first.regressedErrors()).isZero();
		UUID id = first.stored().get(0).event().errorId();

		this.http.post("/api/errors/" + id + "/resolve", "{}");
		BatchRecorded again = this.recorder
			.record(List.of(received(this.agent, "crash", "worker died", now.plusSeconds(1))));

		assertThat(again.newErrors()).isZero();
		assertThat(again.regressedErrors()).isEqualTo(1);
		assertThat(this.recorder.record(List.of(received(this.agent, "crash", "worker died", now.plusSeconds(2))))
			.regressedErrors()).as("already regressed").isZero();
	}

	private static ReceivedEvent received(String source, String type, String message, Instant at) {
		ErrorEvent event = new ErrorEvent(UUID.randomUUID(), source, type, Severity.HIGH,
				CategoryInference.infer(type, message), message, at, "{}", Fingerprinter.of(source, type, message));
		return new ReceivedEvent(event, "it.recorder.high", 0, OFFSETS.incrementAndGet(), Instant.now());
	}

	private ErrorEvent record(String source, String type, Severity severity, String message, Instant at) {
		return record(source, type, severity, message, at, Instant.now());
	}

	/**
	 * An event stamped {@code at} by its agent that reached the bus at
	 * {@code receivedAt}.
	 */
	private ErrorEvent record(String source, String type, Severity severity, String message, Instant at,
			Instant receivedAt) {
		ErrorEvent event = new ErrorEvent(UUID.randomUUID(), source, type, severity,
				CategoryInference.infer(type, message), message, at, "{}", Fingerprinter.of(source, type, message));
		this.recorder.record(List
			.of(new ReceivedEvent(event, "it.recorder." + severity.wire(), 0, OFFSETS.incrementAndGet(), receivedAt)));
		return event;
	}

	private JsonNode error(UUID id) {
		return this.http.get("/api/errors/" + id).json();
	}

	private JsonNode list(String query) {
		Http.Response response = this.http.get("/api/errors?" + query);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private static List<String> ids(JsonNode page) {
		return ids(page, "id");
	}

	private static List<String> ids(JsonNode page, String field) {
		List<String> ids = new ArrayList<>();
		page.get("items").forEach((item) -> ids.add(item.get(field).asString()));
		return ids;
	}

}
