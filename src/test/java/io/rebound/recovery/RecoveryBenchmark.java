package io.rebound.recovery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.TestPostgres;
import io.rebound.bench.Percentiles;
import io.rebound.bench.ReboundProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet of real HTTP agents failing in scripted ways against Rebound in a JVM of its
 * own, with the default timings scaled down 15× (stabilization 2 s, cooldown 700 ms
 * doubling). Faults arrive one every 400 ms: cured by any action from level 1, 2 or 3 up,
 * or by nothing; plus crash loops that break again after every verified recovery. Prints
 * detection-to-recovery time (the error's first event to the run's verified success, both
 * on Rebound's clock) p50/p99, the automatic recovery rate on curable faults, the
 * uncurable faults handed to a person, unnecessary escalations (a curable fault taken
 * past the level that cures it), attempts per fault and the most level 3+ actions on one
 * agent in the restart window. {@code -Dbench.limits=true} also checks the targets.
 *
 * <p>
 * {@code ./mvnw -Pbench verify -Dtest=RecoveryBenchmark}
 */
class RecoveryBenchmark {

	static final int[] MIX = { 16, 8, 10, 6 }; // cured from L1, L2, L3; never

	static final int CRASH_LOOPS = 3;

	@Test
	void fleet() throws Exception {
		Path work = Files.createDirectories(Path.of("target/bench-recovery"));
		String database = TestPostgres.createDatabase("rebound_recovery_bench");
		EmbeddedKafkaKraftBroker kafka = Runs.kafka();
		List<FakeAgent> agents = new ArrayList<>();
		try (ReboundProcess rebound = ReboundProcess.start(18082, kafka.getBrokersAsString(),
				TestPostgres.server().url(database), work.resolve("rebound.log"), "--rebound.recovery.interval=100ms",
				"--rebound.recovery.stabilization=2s", "--rebound.recovery.cooldown=700ms",
				"--rebound.correlation.interval=200ms")) {
			Http http = new Http(rebound.port());
			Map<String, Integer> cureLevel = new LinkedHashMap<>();
			List<Integer> faults = new ArrayList<>();
			for (int level = 0; level < MIX.length; level++) {
				for (int i = 0; i < MIX[level]; i++) {
					faults.add(level + 1);
				}
			}
			java.util.Collections.shuffle(faults, new java.util.Random(7));
			String run = UUID.randomUUID().toString().substring(0, 6);
			int n = 0;
			for (int level : faults) {
				String id = "bench-" + run + "-" + (n++);
				FakeAgent agent = new FakeAgent(id, "never", http, Map.of("kind", "bench-worker"));
				if (level <= 3) {
					agent.cureFromLevel(level);
				}
				agents.add(agent);
				cureLevel.put(id, level);
				fail(http, id);
				Thread.sleep(400);
			}
			List<FakeAgent> loops = new ArrayList<>();
			for (int i = 0; i < CRASH_LOOPS; i++) {
				FakeAgent loop = new FakeAgent("loop-" + run + "-" + i, "never", http, Map.of("kind", "bench-looper"));
				loop.cureFromLevel(3);
				loops.add(loop);
				agents.add(loop);
				fail(http, loop.id);
			}
			// crash loops break again after every verified recovery, until their run is
			// held back by the restart intensity (or a fourth restart shows a storm)
			Instant deadline = Instant.now().plusSeconds(240);
			int broken = 0;
			while (Instant.now().isBefore(deadline)) {
				for (FakeAgent loop : loops) {
					JsonNode last = Runs.newest(http, loop.id);
					if (last != null && last.get("run").get("status").asString().equals("succeeded")
							&& loop.calls("restart") <= 3) {
						loop.breakAgain();
						fail(http, loop.id);
						broken++;
					}
				}
				boolean faultsEnded = cureLevel.keySet().stream().allMatch((id) -> ended(http, id));
				boolean loopsHeld = loops.stream().allMatch((l) -> l.calls("restart") > 3 || throttled(http, l.id));
				if (faultsEnded && loopsHeld) {
					break;
				}
				Thread.sleep(250);
			}
			Thread.sleep(3000);
			report(http, cureLevel, loops, broken);
		}
		finally {
			agents.forEach(FakeAgent::close);
			kafka.destroy();
			TestPostgres.dropDatabase(database);
		}
	}

	private void report(Http http, Map<String, Integer> cureLevel, List<FakeAgent> loops, int rebroken) {
		List<Double> mttr = new ArrayList<>();
		Map<Integer, List<Double>> byLevel = new LinkedHashMap<>();
		int curable = 0;
		int recovered = 0;
		int uncurable = 0;
		int toPerson = 0;
		int unnecessary = 0;
		int attempts = 0;
		for (Map.Entry<String, Integer> fault : cureLevel.entrySet()) {
			JsonNode run = Runs.newest(http, fault.getKey());
			String status = (run != null) ? run.get("run").get("status").asString() : "none";
			int reached = (run != null) ? run.get("run").get("level").asInt() : 0;
			attempts += (run != null) ? run.get("attempts").size() : 0;
			if (fault.getValue() > 3) {
				uncurable++;
				toPerson += status.equals("waiting_person") ? 1 : 0;
				continue;
			}
			curable++;
			if (status.equals("succeeded")) {
				recovered++;
				Instant detected = Instant.parse(http.get("/api/errors?source=" + fault.getKey())
					.json()
					.get("items")
					.get(0)
					.get("first_seen")
					.asString());
				double seconds = Duration.between(detected, Instant.parse(run.get("run").get("ended_at").asString()))
					.toMillis() / 1000.0;
				mttr.add(seconds);
				byLevel.computeIfAbsent(fault.getValue(), (l) -> new ArrayList<>()).add(seconds);
			}
			if (!status.equals("succeeded") || reached > fault.getValue()) {
				unnecessary++;
			}
		}
		long maxHeavy = 0;
		int held = 0;
		for (FakeAgent agent : loops) {
			maxHeavy = Math.max(maxHeavy, agent.calls("restart"));
			held += throttled(http, agent.id) ? 1 : 0;
		}
		System.out.printf("%nRecovery benchmark: %d faults (%d cured from L1, %d from L2, %d from L3, %d never) "
				+ "one every 400 ms, + %d crash loops broken again %d times; stabilization 2 s, cooldown 700 ms%n",
				cureLevel.size(), MIX[0], MIX[1], MIX[2], MIX[3], loops.size(), rebroken);
		System.out.printf("  detection -> verified recovery (curable): p50 %.2f s, p99 %.2f s, max %.2f s%n",
				Percentiles.of(mttr, 50), Percentiles.of(mttr, 99), Percentiles.of(mttr, 100));
		byLevel.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((e) -> System.out.printf("    cured from level %d: n=%d p50 %.2f s, p99 %.2f s%n", e.getKey(),
					e.getValue().size(), Percentiles.of(e.getValue(), 50), Percentiles.of(e.getValue(), 99)));
		System.out.printf("  automatic recovery of curable faults: %d/%d (%.1f %%)%n", recovered, curable,
				100.0 * recovered / curable);
		System.out.printf("  uncurable faults handed to a person: %d/%d%n", toPerson, uncurable);
		System.out.printf("  unnecessary escalations: %d%n", unnecessary);
		System.out.printf("  attempts per fault: %.2f%n", (double) attempts / cureLevel.size());
		System.out.printf("  most restarts of one crash-looping agent (limit 3 per 10 min): %d; loops held back "
				+ "(throttled): %d/%d%n%n", maxHeavy, held, loops.size());
		if (Boolean.getBoolean("bench.limits")) {
			assertThat(Percentiles.of(mttr, 50)).as("MTTR p50").isLessThanOrEqualTo(10.0);
			assertThat((double) recovered / curable).as("automatic recovery rate").isGreaterThanOrEqualTo(0.99);
			assertThat(toPerson).as("uncurable handed to a person").isEqualTo(uncurable);
		}
		assertThat(maxHeavy).as("no restart storm").isLessThanOrEqualTo(3);
		assertThat(held).as("every crash loop held back by the restart intensity").isEqualTo(loops.size());
	}

	private static void fail(Http http, String id) {
		http.post("/api/errors", Http.json(Map.of("source", id, "type", "stall", "severity", "critical", "message",
				"engine stalled on job " + UUID.randomUUID())));
	}

	private static boolean throttled(Http http, String id) {
		JsonNode run = Runs.newest(http, id);
		return run != null && run.get("run").get("reason").asString().startsWith("throttled");
	}

	private static boolean ended(Http http, String id) {
		JsonNode run = Runs.newest(http, id);
		return run != null && !run.get("run").get("status").asString().equals("running");
	}

}
