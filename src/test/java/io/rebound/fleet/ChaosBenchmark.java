package io.rebound.fleet;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.rebound.Http;
import io.rebound.LocalKafka;
import io.rebound.LocalPostgres;
import io.rebound.bench.ReboundProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chaos under load, at Rebound's default settings: two Rebound JVMs on one broker (an
 * in-process KRaft one they reach through a {@link TcpProxy}) and a PostgreSQL server of
 * the benchmark's own ({@link LocalPostgres}), {@code chaos.rate} events a second
 * (default 5,000) flowing from a {@link Load} generator straight to the broker, and a
 * fleet of 21 agents on the Java client. Four steps, one after the other, each while
 * faults injected just before it are being healed (a transient error, configuration
 * drift, a crash, a hang, an uncurable fault): the instance the agents do not talk to
 * (the recovery leader) is killed with SIGKILL and started again; the broker is
 * restarted; PostgreSQL is stopped for {@code chaos.outage} (default 30 s); Rebound is
 * cut off from the broker for as long. After each: every event the broker acknowledged
 * stored exactly once, checked id by id; the time until Rebound accepted and stored a new
 * event again, and until it had stored the backlog. At the end: every recovery call
 * Rebound recorded against the agents' own logs, attempt by attempt; the agents' reports
 * stored exactly once; the fleet's report.
 *
 * <p>
 * {@code ./mvnw -Pbench verify -Dtest=ChaosBenchmark [-Dchaos.rate=5000]}
 */
class ChaosBenchmark {

	private static final List<Fault> KINDS = List.of(Fault.TRANSIENT, Fault.CONFIG_DRIFT, Fault.CRASH, Fault.HANG,
			Fault.UNCURABLE);

	private static final String[] STEPS = { "kill -9 one of two instances", "restart the Kafka broker",
			"stop PostgreSQL", "cut Rebound off from Kafka" };

	/**
	 * One step's figures.
	 *
	 * @param name what was done
	 * @param from the load's first event sent during the step
	 * @param outage how long the part was away (for the kill: until the killed instance
	 * served again)
	 * @param accepting from the part's return to the first {@code 202} of
	 * {@code POST /api/errors} (s)
	 * @param storing from the part's return until an event posted then was stored and
	 * visible (s)
	 * @param caughtUp from the part's return until every event acknowledged before it was
	 * stored (s)
	 * @param check the step's events, id by id, once the fleet's runs ended
	 * @param faults the faults injected just before it
	 */
	record Step(String name, long from, Duration outage, double accepting, double storing, double caughtUp,
			Load.Check check, List<Outcome> faults) {

		String row() {
			long curable = this.faults.stream().filter((o) -> o.kind.curable()).count();
			long recovered = this.faults.stream().filter(Outcome::recovered).count();
			long uncurable = this.faults.size() - curable;
			long toPerson = this.faults.stream().filter((o) -> !o.kind.curable() && o.toPerson()).count();
			return String.format("| %s | %.1f s | %.1f s | %.1f s | %.1f s | %,d | %,d | %d | %d | %d/%d | %d/%d |",
					this.name, this.outage.toMillis() / 1000.0, this.accepting, this.storing, this.caughtUp,
					this.check.acked(), this.check.stored(), this.check.twice(), this.check.missing(), recovered,
					curable, toPerson, uncurable);
		}

	}

	@Test
	void chaosUnderLoad() throws Exception {
		int rate = Integer.getInteger("chaos.rate", 5000);
		Duration outage = Duration.ofSeconds(Integer.getInteger("chaos.outage", 30));
		PrintStream out = System.out;
		// which steps, by number (1 kill, 2 broker, 3 database, 4 cut): all by default
		List<Integer> chosen = Stream.of(System.getProperty("chaos.steps", "1,2,3,4").split(","))
			.map(String::strip)
			.map(Integer::valueOf)
			.toList();
		Path work = Path.of("target/bench-chaos");
		delete(work);
		Files.createDirectories(work);
		int proxyPort = freePort();
		int behindPort = freePort();
		try (LocalPostgres postgres = LocalPostgres.start();
				LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"), behindPort, proxyPort);
				TcpProxy proxy = new TcpProxy(proxyPort, behindPort)) {
			postgres.createDatabase("rebound");
			String url = postgres.url("rebound");
			String bus = "localhost:" + proxy.port();
			List<Step> steps = new ArrayList<>();
			ScheduledExecutorService judging = Executors.newSingleThreadScheduledExecutor();
			ReboundProcess[] leader = { ReboundProcess.start(18101, bus, url, work.resolve("rebound-a.log")) };
			try (ReboundProcess serving = ReboundProcess.start(18102, bus, url, work.resolve("rebound-b.log"));
					Fleet fleet = new Fleet(serving.port(),
							new Fleet.Plan(1 + STEPS.length * KINDS.size(), 0, 0, 0, Duration.ofSeconds(3),
									Duration.ofSeconds(5), Duration.ofMinutes(8)));
					Load load = new Load(kafka.bootstrapServers(), rate, 50, 40)) {
				Http rebound = fleet.rebound();
				fleet.start(Duration.ofMinutes(2));
				// the fleet's runs are judged apart, so that a Rebound slow to answer
				// (its database away) never stretches a step
				List<Outcome> all = new java.util.concurrent.CopyOnWriteArrayList<>();
				judging.scheduleWithFixedDelay(() -> fleet.judge(all, out), 1, 1, TimeUnit.SECONDS);
				Thread.sleep(10_000);
				out.printf("%nChaos: %d events/s from %d sources, %d agents, two Rebound instances (pids %d, %d)%n",
						rate, 50, fleet.agents().size(), leader[0].pid(), serving.pid());
				out.println(Outcome.HEADER);
				for (int i = 0; i < STEPS.length; i++) {
					if (!chosen.contains(i + 1)) {
						continue;
					}
					long from = load.sent();
					List<Outcome> faults = fleet.inject(KINDS);
					all.addAll(faults);
					Thread.sleep(4000);
					out.printf("-- %s (events sent so far %,d, acknowledged %,d)%n", STEPS[i], load.sent(),
							load.acked());
					if (i == 0) {
						out.println("   the recovery leader: " + rebound.get("/api/diagnostics")
							.json()
							.get("instance")
							.get("recovery_leader")
							.asString() + "; killing pid " + leader[0].pid());
					}
					Instant began = Instant.now();
					switch (i) {
						case 0 -> leader[0].kill();
						case 1 -> kafka.restart();
						case 2 -> {
							postgres.stopServer();
							Thread.sleep(outage.toMillis());
							postgres.startServer();
						}
						default -> {
							proxy.cut();
							Thread.sleep(outage.toMillis());
							proxy.heal();
						}
					}
					Instant back = Instant.now();
					long backlog = load.sent();
					double[] answered = probe(rebound,
							"probe-" + i + "-" + UUID.randomUUID().toString().substring(0, 6), back);
					double caughtUp = Double.NaN;
					Instant until = Instant.now().plus(Duration.ofMinutes(3));
					while (Instant.now().isBefore(until)) {
						if (load.check(url, from, backlog).missing() == 0) {
							caughtUp = Duration.between(back, Instant.now()).toMillis() / 1000.0;
							break;
						}
						Thread.sleep(1000);
					}
					Duration away = Duration.between(began, back);
					if (i == 0) {
						// the killed instance comes back: away until it serves again
						leader[0] = ReboundProcess.start(18101, bus, url, work.resolve("rebound-a2.log"));
						away = Duration.between(began, Instant.now());
					}
					out.printf(
							"-- %s: away %.1f s; accepting after %.1f s, storing after %.1f s, caught up after %.1f s%n",
							STEPS[i], away.toMillis() / 1000.0, answered[0], answered[1], caughtUp);
					Thread.sleep(20_000);
					steps.add(new Step(STEPS[i], from, away, answered[0], answered[1], caughtUp, null, faults));
				}
				judging.shutdownNow();
				judging.awaitTermination(1, TimeUnit.MINUTES);
				fleet.await(all, Duration.ofMinutes(6), out);
				load.stop();
				long total = load.sent();
				// the steps' events, id by id, now that nothing is in flight
				List<Step> checked = new ArrayList<>();
				Load.Check whole = null;
				for (int attempt = 0; attempt < 60; attempt++) {
					whole = load.check(url, 0, total);
					if (whole.missing() == 0 && whole.counted() >= whole.acked()) {
						break;
					}
					Thread.sleep(2000);
				}
				for (int i = 0; i < steps.size(); i++) {
					Step step = steps.get(i);
					long end = (i + 1 < steps.size()) ? steps.get(i + 1).from() : total;
					checked.add(new Step(step.name(), step.from(), step.outage(), step.accepting(), step.storing(),
							step.caughtUp(), load.check(url, step.from(), end), step.faults()));
				}
				Fleet.Ledger ledger = fleet.ledger();
				Fleet.Accounting accounting = fleet.accounting(Duration.ofSeconds(60));
				FleetReport report = FleetReport.of(all, fleet.agents(), fleet.dependants());

				out.printf("%nChaos under load: %,d events/s, %d agents, Rebound at its default settings%n", rate,
						fleet.agents().size());
				out.println("| step | away | accepting again | storing again | backlog stored | events acknowledged "
						+ "| stored | stored twice | missing | curable faults recovered | uncurable to a person |");
				out.println("|---|---|---|---|---|---|---|---|---|---|---|");
				checked.forEach((s) -> out.println(s.row()));
				out.printf(
						"%nAll %,d events: acknowledged %,d, stored %,d, twice %d, missing %d, counted in errors %,d;"
								+ " the producer gave up on %d%n",
						total, whole.acked(), whole.stored(), whole.twice(), whole.missing(), whole.counted(),
						load.failed());
				out.printf(
						"Recovery calls Rebound recorded as answered: %d; lost (never received) %d; received "
								+ "but not in Rebound's attempts %d%n",
						ledger.calls(), ledger.lost().size(), ledger.unknown().size());
				ledger.lost().forEach((l) -> out.println("  lost: " + l));
				ledger.unknown().forEach((u) -> out.println("  unknown: " + u));
				out.printf("The agents' own reports: %,d reported, %,d stored; mismatches %s%n", accounting.reported(),
						accounting.stored(), accounting.mismatches());
				report.print(out, "Fleet report under chaos");
				FleetReport.healthyCalls(all, fleet.agents(), fleet.dependants())
					.forEach((c) -> out.println("Call on an agent with no fault: " + c));
				all.stream()
					.filter((o) -> o.recoveredAfter != null && o.recoveredAfter > 45)
					.forEach((o) -> out.println("Slow: " + o.row() + "\n  " + o.evidence));
				all.stream()
					.filter(Outcome::unnecessaryEscalation)
					.forEach((o) -> out.println("Past its cure: " + o.row() + "\n  " + o.evidence));

				for (Step step : checked) {
					assertThat(step.check().twice()).as(step.name() + ": events stored twice").isZero();
					assertThat(step.check().missing()).as(step.name() + ": events missing").isZero();
				}
				assertThat(whole.counted()).as("events counted in errors").isEqualTo(whole.acked());
				assertThat(ledger.lost()).as("recovery calls lost").isEmpty();
				assertThat(ledger.unknown()).as("recovery calls Rebound does not know of").isEmpty();
				assertThat(accounting.mismatches()).as("agents' reports stored exactly once").isEmpty();
				assertThat(report.falseRecoveries()).as("false recoveries").isZero();
				assertThat(report.storms()).as("restart storms").isZero();
				assertThat(report.repeated()).as("attempts received twice").isZero();
				assertThat(report.healthyActedOn()).as("calls on agents with no fault").isZero();
			}
			finally {
				judging.shutdownNow();
				leader[0].close();
			}
		}
	}

	/**
	 * How long after {@code back} Rebound accepted a new event ({@code 202}) and then
	 * showed it stored, in seconds; the fleet's runs are judged meanwhile.
	 */
	private static double[] probe(Http rebound, String source, Instant back) throws InterruptedException {
		double accepting = Double.NaN;
		Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
		while (Double.isNaN(accepting) && Instant.now().isBefore(deadline)) {
			try {
				int status = rebound
					.post("/api/errors", Http.json(Map.of("source", source, "type", "probe", "severity", "low",
							"message", "is Rebound serving?")))
					.status();
				if (status == 202) {
					accepting = Duration.between(back, Instant.now()).toMillis() / 1000.0;
				}
			}
			catch (RuntimeException ex) {
				// not answering yet
			}
			if (Double.isNaN(accepting)) {
				Thread.sleep(250);
			}
		}
		while (Instant.now().isBefore(deadline)) {
			try {
				if (rebound.get("/api/errors?source=" + source).json().get("items").size() > 0) {
					return new double[] { accepting, Duration.between(back, Instant.now()).toMillis() / 1000.0 };
				}
			}
			catch (RuntimeException ex) {
				// not answering yet
			}
			Thread.sleep(250);
		}
		return new double[] { accepting, Double.NaN };
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void delete(Path dir) throws IOException {
		if (Files.exists(dir)) {
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).forEach((f) -> f.toFile().delete());
			}
		}
	}

}
