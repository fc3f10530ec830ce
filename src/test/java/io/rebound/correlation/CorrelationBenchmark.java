package io.rebound.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The correlation quality benchmark ({@code ./mvnw -Pbench verify
 * -Dtest=CorrelationBenchmark}): plays every labelled scenario several times, all of one
 * round at once so that their failures share the same minute, then prints pairwise
 * precision and recall of incident membership and how often the root agent is right.
 * Targets: precision ≥ 0.95, recall ≥ 0.95, root right in ≥ 95 % of incidents. Figures
 * only; it asserts nothing.
 */
@IntegrationTest
class CorrelationBenchmark {

	@LocalServerPort
	int port;

	@Test
	void scenarios() throws Exception {
		Fleet fleet = new Fleet(new Http(this.port));
		int rounds = Integer.getInteger("bench.correlation.rounds", 4);
		Instant started = Instant.now().minusSeconds(1);
		List<Scenarios.Played> played = new ArrayList<>();
		List<Function<String, Scenarios.Played>> kinds = List.of((p) -> Scenarios.databaseOutage(fleet, p, true),
				(p) -> Scenarios.databaseOutage(fleet, p, false), (p) -> Scenarios.twoUnrelatedFailures(fleet, p),
				(p) -> Scenarios.flappingAgent(fleet, p), (p) -> Scenarios.slowCascade(fleet, p),
				(p) -> Scenarios.healthyNoise(fleet, p));
		try (ExecutorService pool = Executors.newFixedThreadPool(kinds.size())) {
			for (int round = 0; round < rounds; round++) {
				List<Future<Scenarios.Played>> running = new ArrayList<>();
				for (Function<String, Scenarios.Played> kind : kinds) {
					String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);
					running.add(pool.submit(() -> kind.apply(prefix)));
				}
				for (Future<Scenarios.Played> scenario : running) {
					played.add(scenario.get());
				}
			}
		}
		List<UUID> errors = played.stream().flatMap((p) -> p.all().stream()).distinct().toList();
		// settle: the outcome no longer changes for three seconds (or a minute has
		// passed)
		Instant deadline = Instant.now().plusSeconds(60);
		Map<UUID, JsonNode> outcome = Map.of();
		String previous = "";
		int stable = 0;
		while (stable < 3 && Instant.now().isBefore(deadline)) {
			Thread.sleep(1000);
			outcome = fleet.incidentsOf(errors, started);
			String shape = fingerprint(outcome);
			stable = shape.equals(previous) ? stable + 1 : 0;
			previous = shape;
		}
		Scenarios.Score total = Scenarios.score(played, outcome);
		System.out.println();
		System.out.println("Correlation benchmark: " + played.size() + " scenarios (" + rounds + " rounds of "
				+ kinds.size() + ", each round at once), " + errors.size() + " errors");
		for (String name : played.stream().map(Scenarios.Played::name).distinct().toList()) {
			List<Scenarios.Played> ofKind = played.stream().filter((p) -> p.name().equals(name)).toList();
			Scenarios.Score score = Scenarios.score(ofKind, outcome);
			System.out.printf("  %-38s precision %.3f  recall %.3f  roots %d/%d%n", name, score.precision(),
					score.recall(), score.rootsRight(), score.incidents());
		}
		System.out.printf("  %-38s precision %.3f  recall %.3f  root accuracy %.3f (%d/%d)  pairs tp=%d fp=%d fn=%d%n",
				"ALL", total.precision(), total.recall(), total.rootAccuracy(), total.rootsRight(), total.incidents(),
				total.truePairs(), total.falsePairs(), total.missedPairs());
		System.out.println("  targets: precision >= 0.95, recall >= 0.95, root accuracy >= 0.95");
	}

	private static String fingerprint(Map<UUID, JsonNode> outcome) {
		StringBuilder shape = new StringBuilder();
		outcome.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((e) -> shape.append(e.getKey())
				.append('=')
				.append(e.getValue().get("id").asString())
				.append('/')
				.append(e.getValue().get("root_agent").asString())
				.append(';'));
		return shape.toString();
	}

}
