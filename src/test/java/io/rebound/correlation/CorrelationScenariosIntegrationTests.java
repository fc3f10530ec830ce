package io.rebound.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The labelled scenarios, one at a time, over real HTTP, Kafka and PostgreSQL: each must
 * come out exactly as labelled (every pair of errors right, every root right).
 */
@IntegrationTest
class CorrelationScenariosIntegrationTests {

	@LocalServerPort
	int port;

	Fleet fleet;

	String prefix;

	Instant started;

	@BeforeEach
	void setUp() {
		this.fleet = new Fleet(new Http(this.port));
		this.prefix = "sc-" + UUID.randomUUID().toString().substring(0, 8);
		this.started = Instant.now().minusSeconds(1);
	}

	@Test
	void aDatabaseOutageIsOneIncidentRootedAtTheDatabase() {
		Scenarios.Played played = Scenarios.databaseOutage(this.fleet, this.prefix, true);

		JsonNode incident = exactly(played);
		assertThat(incident.get("kind").asString()).isEqualTo("dependency");
		assertThat(incident.get("errors")).allSatisfy((e) -> {
			if (e.get("source").asString().equals(this.prefix + "-db")) {
				// the database's own fall to degraded (its heartbeat said so) is the
				// root's
				// evidence
				assertThat(e.get("type").asString()).isEqualTo("health_degraded");
				assertThat(e.get("role").asString()).isEqualTo("root");
			}
			else {
				assertThat(e.get("role").asString()).isEqualTo("symptom");
				assertThat(e.get("root").get("agent").asString()).isEqualTo(this.prefix + "-db");
			}
		});
		assertThat(incident.get("reason").get("dependency_path").toString()).contains(this.prefix + "-db");
		// a symptom's agent is in the incident: `agent` finds it there, `root_agent` not
		String symptom = incident.get("errors")
			.valueStream()
			.filter((e) -> e.get("role").asString().equals("symptom"))
			.findFirst()
			.orElseThrow()
			.get("source")
			.asString();
		JsonNode bySymptom = this.fleet.http.get("/api/incidents?agent=" + symptom).json().get("items");
		assertThat(bySymptom.valueStream().map((i) -> i.get("id").asString()))
			.containsExactly(incident.get("id").asString());
		assertThat(this.fleet.http.get("/api/incidents?root_agent=" + symptom).json().get("items")).isEmpty();
		assertThat(this.fleet.http.get("/api/incidents?agent=" + this.prefix + "-db").json().get("items")).hasSize(1);
	}

	@Test
	void aDependencysIncidentTakesItsCauseAndRecoveryFromTheDependencysOwnError() {
		String db = this.prefix + "-db";
		this.fleet.register(db, "database", List.of());
		List<String> workers = List.of(this.prefix + "-w0", this.prefix + "-w1", this.prefix + "-w2");
		workers.forEach((w) -> this.fleet.register(w, "worker", List.of(db)));
		// the database's own failure (classified: a timeout), alone not yet an incident
		this.fleet.report(db, "timeout", "high", "checkpoint write timed out after 30s");
		Fleet.pause(Duration.ofSeconds(1));
		workers
			.forEach((w) -> this.fleet.report(w, "connection_error", "high", "connection refused to " + db + ":5432"));
		JsonNode incident = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.fleet.http.get("/api/incidents?root_agent=" + db).json().get("items"),
					(items) -> items.size() == 1)
			.get(0);
		assertThat(incident.get("kind").asString()).isEqualTo("dependency");
		// recovery acts on the database, so the database's error says how, not its
		// dependants' connection refusals
		assertThat(incident.get("cause").asString()).isEqualTo("timeout");
		assertThat(incident.get("recovery").asString()).isEqualTo("level:1");
	}

	@Test
	void symptomsThatArriveBeforeTheRootFailsMoveUnderItOnceItDoes() {
		Scenarios.Played played = Scenarios.databaseOutage(this.fleet, this.prefix, false);

		JsonNode incident = exactly(played);
		List<String> kinds = incident.get("timeline").valueStream().map((t) -> t.get("kind").asString()).toList();
		assertThat(kinds).contains("root_changed");
	}

	@Test
	void twoUnrelatedFailuresAreTwoIncidents() {
		exactly(Scenarios.twoUnrelatedFailures(this.fleet, this.prefix));
	}

	@Test
	void aFlappingAgentIsOneIncidentNotOneAFlap() {
		Scenarios.Played played = Scenarios.flappingAgent(this.fleet, this.prefix);

		exactly(played);
		JsonNode incidents = this.fleet.http.get("/api/incidents?root_agent=" + this.prefix + "-flapper").json();
		assertThat(incidents.get("items")).hasSize(1);
	}

	@Test
	void aSlowCascadeIsOneIncidentRootedAtTheBottomOfTheChain() {
		Scenarios.Played played = Scenarios.slowCascade(this.fleet, this.prefix);

		JsonNode incident = exactly(played);
		JsonNode planner = incident.get("errors")
			.valueStream()
			.filter((e) -> e.get("source").asString().endsWith("-planner"))
			.findFirst()
			.orElseThrow();
		assertThat(planner.get("path").valueStream().map(JsonNode::asString).toList())
			.containsExactly(this.prefix + "-planner", this.prefix + "-search", this.prefix + "-storage");
	}

	@Test
	void noiseFromHealthyAgentsOpensNoIncident() throws Exception {
		Scenarios.Played played = Scenarios.healthyNoise(this.fleet, this.prefix);

		// give the correlator several rounds, then check nothing was opened
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.fleet.http.get("/api/errors?source=" + this.prefix + "-healthy-4")
				.json()
				.get("items")
				.size() == 2);
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.fleet.incidentsOf(played.all(), this.started)).isEmpty());
	}

	/** Waits until the outcome is exactly as labelled; answers the first incident. */
	private JsonNode exactly(Scenarios.Played played) {
		BiFunction<Scenarios.Played, Map<UUID, JsonNode>, Scenarios.Score> score = (p, o) -> Scenarios.score(List.of(p),
				o);
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
			Map<UUID, JsonNode> outcome = this.fleet.incidentsOf(played.all(), this.started);
			Scenarios.Score result = score.apply(played, outcome);
			assertThat(result.precision()).as("precision %s", result).isEqualTo(1.0);
			assertThat(result.recall()).as("recall %s", result).isEqualTo(1.0);
			assertThat(result.rootAccuracy()).as("roots %s", result).isEqualTo(1.0);
		});
		UUID first = played.incidents().get(0).errors().get(0);
		return this.fleet.incidentsOf(played.all(), this.started).get(first);
	}

}
