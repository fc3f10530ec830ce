package io.rebound.errors;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
	void cursorPagesNeitherSkipNorRepeatWhileNewEventsArrive() {
		List<UUID> original = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			original.add(record(this.agent, "kind" + i, Severity.LOW, "failure kind " + i, Instant.now()).errorId());
		}
		Set<String> seen = new HashSet<>();
		List<String> order = new ArrayList<>();
		JsonNode page = list("source=" + this.agent + "&limit=7");
		int pages = 0;
		while (true) {
			page.get("items").forEach((item) -> order.add(item.get("id").asString()));
			pages++;
			if (pages == 1) {
				// activity on rows already shown, rows still to come, and brand-new
				// errors
				record(this.agent, "kind29", Severity.HIGH, "failure kind 29", Instant.now());
				record(this.agent, "kind3", Severity.HIGH, "failure kind 3", Instant.now());
				record(this.agent, "kind10", Severity.HIGH, "failure kind 10", Instant.now());
				record(this.agent, "brand-new", Severity.HIGH, "never seen before", Instant.now());
			}
			if (page.get("next_cursor").isNull()) {
				break;
			}
			page = list("source=" + this.agent + "&limit=7&cursor=" + page.get("next_cursor").asString());
		}
		seen.addAll(order);

		assertThat(order).hasSameSizeAs(seen);
		assertThat(seen).containsAll(original.stream().map(UUID::toString).toList());
		assertThat(seen).hasSize(30);
		assertThat(pages).isEqualTo(5);
	}

	@Test
	void firstPageShowsNewestActivityFirst() {
		UUID older = record(this.agent, "a", Severity.LOW, "first", Instant.now()).errorId();
		UUID newer = record(this.agent, "b", Severity.LOW, "second", Instant.now()).errorId();
		record(this.agent, "a", Severity.LOW, "first", Instant.now());

		assertThat(ids(list("source=" + this.agent))).containsExactly(older.toString(), newer.toString());
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
	void unknownFilterValuesAndParametersAreBadRequests() {
		for (String query : List.of("severity=urgent", "min_severity=loud", "status=gone", "category=weather",
				"since=yesterday", "limit=0", "limit=501", "cursor=garbage", "sevrity=high")) {
			Http.Response response = this.http.get("/api/errors?" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.contentType()).as(query).startsWith("application/problem+json");
			assertThat(response.json().get("detail").asString()).as(query).isNotBlank();
		}
	}

	@Test
	void unknownIdIsNotFoundAsProblemDetails() {
		Http.Response response = this.http.get("/api/errors/" + UUID.randomUUID());

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("type").asString()).isEqualTo("urn:rebound:problem:not-found");
		assertThat(this.http.post("/api/errors/" + UUID.randomUUID() + "/resolve", "{}").status()).isEqualTo(404);
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

	@Test
	void eventsOfAnErrorArePagedNewestFirst() {
		UUID id = null;
		List<String> eventIds = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ErrorEvent event = record(this.agent, "t", Severity.MEDIUM, "retry " + i + " failed", Instant.now());
			id = event.errorId();
			eventIds.add(0, event.eventId().toString());
		}
		JsonNode first = this.http.get("/api/errors/" + id + "/events?limit=3").json();
		JsonNode second = this.http
			.get("/api/errors/" + id + "/events?limit=3&cursor=" + first.get("next_cursor").asString())
			.json();

		List<String> paged = new ArrayList<>(ids(first, "event_id"));
		paged.addAll(ids(second, "event_id"));
		assertThat(paged).containsExactlyElementsOf(eventIds);
		assertThat(second.get("next_cursor").isNull()).isTrue();
	}

	@Test
	void severityIsTheHighestSeenAndTheMessageTheLatest() {
		Instant now = Instant.now();
		record(this.agent, "t", Severity.LOW, "attempt 1 failed", now.minusSeconds(10));
		ErrorEvent worst = record(this.agent, "t", Severity.CRITICAL, "attempt 2 failed", now.minusSeconds(5));
		record(this.agent, "t", Severity.MEDIUM, "attempt 3 failed", now);

		JsonNode error = error(worst.errorId());
		assertThat(error.get("severity").asString()).isEqualTo("critical");
		assertThat(error.get("message").asString()).isEqualTo("attempt 3 failed");
		assertThat(error.get("count").asLong()).isEqualTo(3);
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
