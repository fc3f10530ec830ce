package io.rebound.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.rebound.TestPostgres;
import io.rebound.bench.ReboundProcess;
import io.rebound.recovery.Runs;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet at Rebound's default settings: Rebound in a JVM of its own (an in-process
 * KRaft broker, a fresh database, nothing scaled down), {@code fleet.agents} agents on
 * the Java client (default 50: a dependency with 30 dependants, a group of 3, the rest
 * workers), one fault every {@code fleet.spacing} (default 3 s): the dependency's outage,
 * the group's poisoning, then {@code fleet.faults} single-agent faults, the kinds by
 * turns. Prints the live table, then the report against the seeds' targets. Whatever the
 * figures, a false recovery, a restart storm or a security fault acted on fails it.
 *
 * <p>
 * {@code ./mvnw -Pbench verify -Dtest=FleetBenchmark [-Dfleet.agents=500]}
 */
class FleetBenchmark {

	@Test
	void fleetAtDefaults() throws Exception {
		int agents = Integer.getInteger("fleet.agents", 50);
		int dependants = (agents >= 50) ? 30 : Math.max(2, agents / 5);
		int group = 3;
		int workers = agents - 1 - dependants - group;
		int faults = Integer.getInteger("fleet.faults", Math.min(workers, 2 * Fleet.Plan.SINGLE.size()));
		Fleet.Plan plan = new Fleet.Plan(agents, dependants, group, faults,
				Duration.ofSeconds(Integer.getInteger("fleet.spacing", 3)), Duration.ofSeconds(5),
				Duration.ofMinutes(Integer.getInteger("fleet.deadline-minutes", 8)));
		Path work = Files.createDirectories(Path.of("target/bench-fleet"));
		String database = TestPostgres.createDatabase("rebound_fleet_bench");
		EmbeddedKafkaKraftBroker kafka = Runs.kafka();
		try (ReboundProcess rebound = ReboundProcess.start(18083, kafka.getBrokersAsString(),
				TestPostgres.server().url(database), work.resolve("rebound.log"));
				Fleet fleet = new Fleet(rebound.port(), plan)) {
			long started = System.nanoTime();
			fleet.start(Duration.ofMinutes(3));
			System.out.printf(
					"%nFleet: %d agents healthy after %.1f s (%d dependants of one dependency, a group of %d, "
							+ "%d workers); %d faults, one every %s; Rebound at its defaults%n%n",
					agents, (System.nanoTime() - started) / 1e9, dependants, group, workers, faults + 2,
					plan.spacing());
			List<Outcome> outcomes = fleet.run(System.out);
			FleetReport report = FleetReport.of(outcomes, fleet.agents(), fleet.dependants());
			report.print(System.out, "Fleet report: " + agents + " agents, " + outcomes.size()
					+ " faults, Rebound at its default settings");
			assertThat(report.falseRecoveries()).as("false recoveries").isZero();
			assertThat(report.storms()).as("restart storms").isZero();
			assertThat(report.securityActedOn()).as("security faults acted on").isZero();
			assertThat(report.healthyActedOn()).as("calls on agents with no fault").isZero();
		}
		finally {
			kafka.destroy();
			TestPostgres.dropDatabase(database);
		}
	}

}
