package io.rebound.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.rebound.LocalKafka;
import io.rebound.TestPostgres;
import io.rebound.bench.ReboundProcess;
import org.slf4j.LoggerFactory;

/**
 * The demo, {@code ./mvnw -q -Pdemo spring-boot:test-run} (through {@code LocalRebound}):
 * Rebound on its embedded defaults (a KRaft broker in this JVM, a fresh database on the
 * local PostgreSQL, Rebound in a JVM of its own on port 8080, its log in
 * {@code target/fleet-demo/rebound.log}), a fleet of 20 agents on the Java client, a
 * fault injected every five seconds, and a row of the table as each fault's run ends;
 * then the report and the URLs to look at. Rebound keeps running until Ctrl-C
 * ({@code -Dfleet.demo.stay=false} ends at once).
 */
public final class FleetDemo {

	private FleetDemo() {
	}

	public static void run() throws Exception {
		for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "kafka", "org.apache.kafka",
				"state.change.logger")) {
			((Logger) LoggerFactory.getLogger(name)).setLevel(Level.ERROR); // the table,
																			// not the
																			// broker's
																			// chatter
		}
		int port = Integer.getInteger("fleet.demo.port", 8080);
		int agents = Integer.getInteger("fleet.agents", 20);
		Path work = Files.createDirectories(Path.of("target/fleet-demo"));
		System.out.println("Starting Kafka (in this JVM) and Rebound (its own JVM, port " + port + ", log "
				+ work.resolve("rebound.log") + ") on their defaults...");
		LocalKafka kafka = LocalKafka.start(Integer.getInteger("fleet.demo.kafka-port", 19092), work.resolve("kafka"));
		String database = TestPostgres.createDatabase("rebound_fleet_demo");
		ReboundProcess rebound = ReboundProcess.start(port, kafka.bootstrapServers(),
				TestPostgres.server().url(database), work.resolve("rebound.log"));
		Fleet fleet = new Fleet(port, new Fleet.Plan(agents, 4, 3, Math.min(agents - 8, Fleet.Plan.SINGLE.size()),
				Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(6)));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			fleet.close();
			try {
				rebound.close();
			}
			catch (Exception ex) {
				// ending anyway
			}
			kafka.close();
			TestPostgres.dropDatabase(database);
		}, "fleet-demo-shutdown"));
		fleet.start(Duration.ofMinutes(2));
		System.out.printf("%d agents registered and healthy: a database with 4 dependants, a group of 3 sharing state, "
				+ "workers. One fault every 5 s; each row appears when its recovery run ends (times from the fault).%n%n",
				agents);
		List<Outcome> outcomes = fleet.run(System.out);
		FleetReport.of(outcomes, fleet.agents(), fleet.dependants())
			.print(System.out, "Summary: " + outcomes.size() + " faults, Rebound at its default settings");
		System.out.println("Look at what happened:");
		String base = "http://localhost:" + port;
		System.out.println("  " + base + "/api/incidents            incidents, root causes and symptoms");
		System.out.println("  " + base + "/api/recovery/history     every attempt, its evidence and its choice");
		System.out.println("  " + base + "/api/recovery/metrics     MTTR, success rates, records per strategy");
		System.out.println("  " + base + "/api/errors               the errors, grouped");
		System.out.println("  " + base + "/api/diagnostics          the operator's report");
		System.out.println("  " + base + "/actuator/prometheus      the metrics Grafana reads");
		if (Boolean.parseBoolean(System.getProperty("fleet.demo.stay", "true"))) {
			System.out.println("Rebound keeps running; Ctrl-C ends the demo.");
			Thread.currentThread().join();
		}
		System.exit(0);
	}

}
