package io.rebound.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.rebound.Http;
import io.rebound.TestPostgres;
import io.rebound.bench.ReboundProcess;
import io.rebound.recovery.Runs;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet's small variant, inside {@code ./mvnw verify}: fourteen agents on the Java
 * client (a dependency with two dependants, a group of two, nine workers), one fault of
 * each kind a second apart, against two Rebound JVMs on one database and one broker — and
 * one chaos step: the instance holding the recovery lease is killed (SIGKILL) while the
 * faults are being healed. Rebound runs at its defaults but for the cooldown (1 s instead
 * of 10 s doubling) and the agents heartbeat every 2 s (so windows are 6 s), to keep the
 * suite short; the full run at the defaults is {@link FleetBenchmark}.
 */
class FleetIntegrationTests {

	@Test
	void aSmallFleetHealsEveryCurableFaultAndSurvivesTheLeadersDeath() throws Exception {
		Path work = Files.createDirectories(Path.of("target/it-fleet"));
		String database = TestPostgres.createDatabase("rebound_fleet_it");
		EmbeddedKafkaKraftBroker kafka = Runs.kafka();
		ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
		String url = TestPostgres.server().url(database);
		try (ReboundProcess leader = ReboundProcess.start(18091, kafka.getBrokersAsString(), url,
				work.resolve("rebound-leader.log"), "--rebound.recovery.cooldown=1s")) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> leaderOf(new Http(leader.port())).contains("/" + leader.pid() + "/"));
			try (ReboundProcess serving = ReboundProcess.start(18092, kafka.getBrokersAsString(), url,
					work.resolve("rebound-serving.log"), "--rebound.recovery.cooldown=1s");
					Fleet fleet = new Fleet(serving.port(), new Fleet.Plan(14, 2, 2, Fleet.Plan.SINGLE.size(),
							Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(3)))) {
				fleet.start(Duration.ofMinutes(1));
				// events flowing straight to the broker meanwhile, each checked by its id
				Load load = new Load(kafka.getBrokersAsString(), 300, 10, 10);
				// mid-run: some faults acted on, some verifying, some not yet detected
				chaos.schedule(() -> {
					leader.kill();
					return null;
				}, 8, TimeUnit.SECONDS);
				List<Outcome> outcomes = fleet.run(System.out);
				FleetReport report = FleetReport.of(outcomes, fleet.agents(), fleet.dependants());
				report.print(System.out, "Fleet (small variant): 14 agents, the recovery leader killed after 8 s");
				outcomes.stream()
					.filter((o) -> o.recoveredAfter != null && o.recoveredAfter > 45)
					.forEach((o) -> System.out.println("Slow: " + o.row() + "\n  " + o.evidence));

				load.close();
				Load.Check events = null;
				for (int i = 0; i < 30 && (events == null || events.missing() > 0); i++) {
					Thread.sleep((events == null) ? 0 : 1000);
					events = load.check(url, TestPostgres.server().user(), TestPostgres.server().password(), 0,
							load.sent());
				}
				System.out.printf("Load: sent %d, acknowledged %d, stored %d, twice %d, missing %d, counted %d%n",
						load.sent(), events.acked(), events.stored(), events.twice(), events.missing(),
						events.counted());
				assertThat(events.acked()).as("acknowledged").isEqualTo(load.sent()).isPositive();
				assertThat(events.twice()).as("events stored twice").isZero();
				assertThat(events.missing()).as("events missing").isZero();
				assertThat(events.counted()).as("events counted in errors").isEqualTo(events.acked());
				Fleet.Ledger ledger = fleet.ledger();
				assertThat(ledger.calls()).as("calls Rebound recorded").isPositive();
				assertThat(ledger.lost()).as("calls recorded as answered, never received").isEmpty();
				assertThat(ledger.unknown()).as("calls received, unknown to Rebound").isEmpty();
				Fleet.Accounting accounting = fleet.accounting(Duration.ofSeconds(30));
				System.out.printf("Events: the agents reported %d, Rebound stored %d%n", accounting.reported(),
						accounting.stored());
				assertThat(accounting.mismatches()).as("every report stored exactly once, across the leader's death")
					.isEmpty();
				assertThat(accounting.reported()).isPositive();
				assertThat(leaderOf(fleet.rebound())).contains("/" + serving.pid() + "/");
				assertThat(outcomes).filteredOn((o) -> o.kind.curable())
					.allSatisfy((o) -> assertThat(o.result).as(o.row() + "\n" + o.evidence).isEqualTo("recovered"));
				assertThat(outcomes).filteredOn((o) -> !o.kind.curable())
					.allSatisfy((o) -> assertThat(o.result).as(o.row() + "\n" + o.evidence).isEqualTo("to a person"));
				assertThat(report.falseRecoveries()).as("false recoveries").isZero();
				assertThat(report.storms()).as("restart storms").isZero();
				assertThat(report.securityActedOn()).as("calls on the security fault's agent").isZero();
				assertThat(report.dependantsActedOn()).as("calls on the dependency's dependants").isZero();
				assertThat(report.healthyActedOn()).as("calls on agents with no fault").isZero();
				assertThat(report.repeated()).as("attempts carried out twice across the failover").isZero();
				assertThat(outcomes.stream()
					.filter(Outcome::unnecessaryEscalation)
					.map((o) -> o.row() + "\n" + o.evidence)).as("unnecessary escalations").isEmpty();
			}
		}
		finally {
			chaos.shutdownNow();
			kafka.destroy();
			TestPostgres.dropDatabase(database);
		}
	}

	private static String leaderOf(Http rebound) {
		return rebound.get("/api/diagnostics").json().get("instance").get("recovery_leader").asString();
	}

}
