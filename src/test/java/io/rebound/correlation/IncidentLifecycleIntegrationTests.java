package io.rebound.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import io.rebound.Http;
import io.rebound.errors.CategoryInference;
import io.rebound.errors.ErrorEvent;
import io.rebound.errors.ErrorRecorder;
import io.rebound.errors.Fingerprinter;
import io.rebound.errors.ReceivedEvent;
import io.rebound.errors.Severity;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Incidents over their life: resolved incidents never absorb new errors, people's merges
 * and splits stick, thresholds count only open errors, and recovery hears of it all.
 */
@IntegrationTest
class IncidentLifecycleIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	ErrorRecorder recorder;

	Fleet fleet;

	Http http;

	String prefix;

	Instant started;

	final List<Object> events = new CopyOnWriteArrayList<>();

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		this.fleet = new Fleet(this.http);
		this.prefix = "lc-" + UUID.randomUUID().toString().substring(0, 8);
		this.started = Instant.now().minusSeconds(1);
		this.context.addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) (event) -> {
			Object payload = event.getPayload();
			if (payload instanceof IncidentOpened || payload instanceof IncidentUpdated
					|| payload instanceof IncidentResolved) {
				this.events.add(payload);
			}
		});
	}

	@Test
	void aResolvedIncidentNeverAbsorbsNewErrorsARecurrenceOpensALinkedOne() {
		String agent = this.prefix + "-oom";
		UUID error = this.fleet.report(agent, "crash", "high", "java.lang.OutOfMemoryError: Java heap space");
		JsonNode first = incidentOf(error);
		assertThat(resolve(first, "heap raised").status()).isEqualTo(200);
		assertThat(this.http.get("/api/errors/" + error).json().get("status").asString()).isEqualTo("resolved");

		this.fleet.report(agent, "crash", "high", "java.lang.OutOfMemoryError: Java heap space");

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode second = this.fleet.incidentsOf(List.of(error), this.started).get(error);
			assertThat(second.get("id").asString()).isNotEqualTo(first.get("id").asString());
			assertThat(second.get("kind").asString()).isEqualTo("recurrence");
			assertThat(second.get("previous_incident_id").asString()).isEqualTo(first.get("id").asString());
		});
		JsonNode old = this.http.get("/api/incidents/" + first.get("id").asString()).json();
		assertThat(old.get("status").asString()).isEqualTo("resolved");
		// it keeps its history: the error that was part of it
		assertThat(old.get("errors")).singleElement()
			.satisfies((e) -> assertThat(e.get("error_id").asString()).isEqualTo(error.toString()));
		assertThat(old.get("timeline").valueStream().map((t) -> t.get("kind").asString())).contains("resolved",
				"recurred");
	}

	@Test
	void aMergeSticksForLaterEvents() {
		UUID oom = this.fleet.report(this.prefix + "-a", "crash", "high", "java.lang.OutOfMemoryError: heap");
		UUID disk = this.fleet.report(this.prefix + "-b", "io_error", "high", "No space left on device");
		JsonNode target = incidentOf(oom);
		JsonNode merged = incidentOf(disk);

		Http.Response response = this.http.post("/api/incidents/" + target.get("id").asString() + "/merge",
				Http.json(Map.of("incidents", List.of(merged.get("id").asString()), "by", "alice")));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().get("errors")).hasSize(2);
		JsonNode closed = this.http.get("/api/incidents/" + merged.get("id").asString()).json();
		assertThat(closed.get("status").asString()).isEqualTo("closed");
		assertThat(closed.get("merged_into").asString()).isEqualTo(target.get("id").asString());

		this.fleet.report(this.prefix + "-b", "io_error", "high", "No space left on device");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode now = this.http.get("/api/incidents/" + target.get("id").asString()).json();
			JsonNode diskError = now.get("errors")
				.valueStream()
				.filter((e) -> e.get("error_id").asString().equals(disk.toString()))
				.findFirst()
				.orElseThrow();
			assertThat(diskError.get("count").asLong()).isEqualTo(2);
		});
		assertThat(this.events).anySatisfy((e) -> assertThat(e).isInstanceOfSatisfying(IncidentResolved.class,
				(r) -> assertThat(r.mergedInto().toString()).isEqualTo(target.get("id").asString())));
	}

	@Test
	void aSplitSticksForLaterEvents() throws Exception {
		String db = this.prefix + "-db";
		this.fleet.register(db, "database", List.of());
		this.fleet.register(this.prefix + "-w1", "worker", List.of(db));
		this.fleet.register(this.prefix + "-w2", "worker", List.of(db));
		this.fleet.heartbeat(db, "degraded");
		UUID one = this.fleet.report(this.prefix + "-w1", "db", "high", "connection refused (host " + db + ")");
		UUID two = this.fleet.report(this.prefix + "-w2", "db", "high", "connection refused (host " + db + ")");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.fleet.incidentsOf(List.of(one, two), this.started).size() == 2);
		JsonNode incident = incidentOf(one);

		Http.Response split = this.http.post("/api/incidents/" + incident.get("id").asString() + "/split",
				Http.json(Map.of("error_ids", List.of(two.toString()), "by", "bob", "note", "w2 has its own bug")));

		assertThat(split.status()).as(split.body()).isEqualTo(201);
		String splitId = split.json().get("id").asString();
		assertThat(split.headers().firstValue("Location")).hasValue("/api/incidents/" + splitId);
		assertThat(split.json().get("kind").asString()).isEqualTo("manual");

		this.fleet.report(this.prefix + "-w2", "db", "high", "connection refused (host " + db + ")");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.http.get("/api/errors/" + two).json().get("count").asLong()).isEqualTo(2));
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(
					() -> assertThat(this.fleet.incidentsOf(List.of(two), this.started).get(two).get("id").asString())
						.isEqualTo(splitId));
	}

	@Test
	void aBacklogDrainedAtOnceIsNoBurstWhileEventsArrivingAtOnceAreWhateverTheAgentsClockSays() {
		Instant now = Instant.now();
		String backlog = this.prefix + "-backlog";
		String live = this.prefix + "-live";
		// 40 events each, stored in one batch. The backlog's reached the bus a minute
		// apart (they sat there during an outage); the live ones all just now, from an
		// agent whose clock is ten minutes behind.
		UUID backlogError = record(backlog, (i) -> now.minus(Duration.ofMinutes(40 - i)),
				(i) -> now.minus(Duration.ofMinutes(40 - i)));
		UUID liveError = record(live, (i) -> now.minus(Duration.ofMinutes(10)), (i) -> now);

		JsonNode burst = incidentOf(liveError);
		assertThat(burst.get("kind").asString()).isEqualTo("burst");
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(4))
			.until(() -> this.fleet.incidentsOf(List.of(backlogError), this.started).isEmpty());
	}

	private UUID record(String source, IntFunction<Instant> occurredAt, IntFunction<Instant> receivedAt) {
		List<ReceivedEvent> batch = new ArrayList<>();
		ErrorEvent event = null;
		for (int i = 0; i < 40; i++) {
			String message = "cache miss on shard " + i;
			event = new ErrorEvent(UUID.randomUUID(), source, "cache_miss", Severity.LOW,
					CategoryInference.infer("cache_miss", message), message, occurredAt.apply(i), "{}",
					Fingerprinter.of(source, "cache_miss", message));
			batch.add(new ReceivedEvent(event, "it.backlog." + source, 0, i, receivedAt.apply(i)));
		}
		this.recorder.record(batch);
		return event.errorId();
	}

	@Test
	void thresholdsCountOnlyOpenErrors() throws Exception {
		// two open timeouts from two agents, one short of the default threshold of three
		String target = this.prefix + "-api:443";
		UUID a = this.fleet.report(this.prefix + "-1", "call", "medium", "request timed out calling " + target);
		UUID b = this.fleet.report(this.prefix + "-2", "call", "medium", "request timed out calling " + target);
		awaitStored(a, b);
		this.http.post("/api/errors/" + a + "/resolve", "{}");

		UUID c = this.fleet.report(this.prefix + "-3", "call", "medium", "request timed out calling " + target);
		awaitStored(c);
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.fleet.incidentsOf(List.of(a, b, c), this.started)).isEmpty());

		UUID d = this.fleet.report(this.prefix + "-4", "call", "medium", "request timed out calling " + target);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.fleet.incidentsOf(List.of(a, b, c, d), this.started).keySet(),
					(found) -> found.containsAll(List.of(b, c, d)) && !found.contains(a));
		JsonNode incident = incidentOf(d);
		assertThat(incident.get("reason").get("errors").asInt()).isEqualTo(3);
		assertThat(incident.get("reason").get("rule").asString()).isEqualTo("timeout");
		assertThat(this.events).anySatisfy((e) -> assertThat(e).isInstanceOfSatisfying(IncidentOpened.class,
				(o) -> assertThat(o.incidentId().toString()).isEqualTo(incident.get("id").asString())));
	}

	@Test
	void actingOnAnIncidentThatIsOverIsAConflictAndUnknownOnesAreNotFound() {
		UUID error = this.fleet.report(this.prefix + "-x", "io_error", "high", "No space left on device");
		JsonNode incident = incidentOf(error);
		String id = incident.get("id").asString();
		assertThat(this.http.post("/api/incidents/" + id + "/close", "{\"note\":\"handled\"}").status()).isEqualTo(200);

		Http.Response merge = this.http.post("/api/incidents/" + id + "/merge",
				Http.json(Map.of("incidents", List.of(UUID.randomUUID().toString()))));
		Http.Response missing = this.http.get("/api/incidents/" + UUID.randomUUID());
		Http.Response badFilter = this.http.get("/api/incidents?status=sleeping");

		assertThat(merge.status()).isEqualTo(409);
		assertThat(merge.contentType()).startsWith("application/problem+json");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(badFilter.status()).isEqualTo(400);
		assertThat(badFilter.json().get("detail").asString()).contains("open", "mitigating", "resolved", "closed");
	}

	private Http.Response resolve(JsonNode incident, String note) {
		return this.http.post("/api/incidents/" + incident.get("id").asString() + "/resolve",
				Http.json(Map.of("note", note, "by", "carol")));
	}

	private JsonNode incidentOf(UUID error) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> this.fleet.incidentsOf(List.of(error), this.started).get(error), (i) -> i != null);
	}

	private void awaitStored(UUID... errors) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> List.of(errors).stream().allMatch((e) -> this.http.get("/api/errors/" + e).status() == 200));
	}

}
