package io.rebound.correlation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * The labelled scenarios correlation is measured on: each plays a fleet's failure over
 * the real API and says which errors form which incident, with which root, and which
 * errors are noise that belongs to none. Agent ids carry a prefix so that scenarios can
 * run side by side.
 */
final class Scenarios {

	/**
	 * What should come out.
	 *
	 * @param root the expected root agent
	 * @param errors the errors of the incident
	 */
	record Expected(String root, List<UUID> errors) {
	}

	/**
	 * A played scenario and its labels.
	 *
	 * @param name the scenario
	 * @param incidents the incidents it should produce
	 * @param noise errors that belong to no incident
	 */
	record Played(String name, List<Expected> incidents, List<UUID> noise) {

		List<UUID> all() {
			List<UUID> all = new ArrayList<>(this.noise);
			this.incidents.forEach((i) -> all.addAll(i.errors()));
			return all;
		}

	}

	private static final Duration STEP = Duration.ofMillis(700);

	private Scenarios() {
	}

	/** A database fails; 20 agents that use it report refused connections. */
	static Played databaseOutage(Fleet fleet, String prefix, boolean rootFailsFirst) {
		String db = prefix + "-db";
		fleet.register(db, "database", List.of());
		List<String> agents = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			agents.add(prefix + "-worker-" + i);
			fleet.register(agents.get(i), "worker", List.of(db));
		}
		if (rootFailsFirst) {
			fleet.heartbeat(db, "degraded");
			Fleet.pause(STEP);
		}
		List<UUID> errors = new ArrayList<>();
		for (String agent : agents) {
			errors.add(fleet.report(agent, "connection_error", "high",
					"psycopg.OperationalError: connection refused (host " + db + ":5432)"));
		}
		if (!rootFailsFirst) {
			Fleet.pause(STEP);
			fleet.heartbeat(db, "degraded");
		}
		return new Played("database outage" + (rootFailsFirst ? "" : " (root found late)"),
				List.of(new Expected(db, errors)), List.of());
	}

	/** Two agents fail at the same minute for unrelated reasons. */
	static Played twoUnrelatedFailures(Fleet fleet, String prefix) {
		String a = prefix + "-indexer";
		String b = prefix + "-planner";
		fleet.register(a, "indexer", List.of());
		fleet.register(b, "planner", List.of());
		UUID oom = fleet.report(a, "crash", "high", "java.lang.OutOfMemoryError: Java heap space");
		UUID config = fleet.report(b, "startup", "high",
				"yaml.parser.ParserError while parsing config file /etc/planner/settings.yaml line 12");
		return new Played("two unrelated failures",
				List.of(new Expected(a, List.of(oom)), new Expected(b, List.of(config))), List.of());
	}

	/** An agent crashes, recovers, and crashes again, three times. */
	static Played flappingAgent(Fleet fleet, String prefix) {
		String agent = prefix + "-flapper";
		fleet.register(agent, "executor", List.of());
		List<UUID> errors = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			fleet.heartbeat(agent, "ok");
			errors.add(fleet.report(agent, "crash", "high", "worker exited with signal 11"));
			fleet.heartbeat(agent, "ok");
			Fleet.pause(STEP);
		}
		return new Played("flapping agent", List.of(new Expected(agent, errors.stream().distinct().toList())),
				List.of());
	}

	/** A storage agent fills its disk; the failure creeps up a chain of dependents. */
	static Played slowCascade(Fleet fleet, String prefix) {
		String storage = prefix + "-storage";
		String search = prefix + "-search";
		String planner = prefix + "-planner";
		fleet.register(storage, "storage", List.of());
		fleet.register(search, "search", List.of(storage));
		fleet.register(planner, "planner", List.of(search));
		UUID disk = fleet.report(storage, "io_error", "high",
				"OSError: [Errno 28] No space left on device: '/data/segments'");
		Fleet.pause(STEP);
		UUID slow = fleet.report(search, "storage_error", "high", "write to " + storage + " timed out after 30s");
		Fleet.pause(STEP);
		UUID failed = fleet.report(planner, "http_error", "high",
				"503 Service Unavailable from http://" + search + ":8080/query");
		return new Played("slow cascade", List.of(new Expected(storage, List.of(disk, slow, failed))), List.of());
	}

	/** Healthy agents log the odd harmless error. */
	static Played healthyNoise(Fleet fleet, String prefix) {
		List<UUID> noise = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String agent = prefix + "-healthy-" + i;
			fleet.register(agent, "worker", List.of());
			fleet.heartbeat(agent, "ok");
			noise.add(fleet.report(agent, "cache_miss", "low", "cache miss for key user:" + (i * 7)));
			noise.add(fleet.report(agent, "slow_query", "info", "query took 1200 ms"));
		}
		return new Played("noise from healthy agents", List.of(), noise);
	}

	/**
	 * Pairwise precision and recall of incident membership, and how many expected
	 * incidents got the right root.
	 *
	 * @param truePairs pairs of errors in one incident in both truth and outcome
	 * @param falsePairs pairs in one incident in the outcome only
	 * @param missedPairs pairs in one incident in the truth only
	 * @param incidents expected incidents
	 * @param rootsRight of which the root agent is right
	 */
	record Score(long truePairs, long falsePairs, long missedPairs, int incidents, int rootsRight) {

		double precision() {
			return (this.truePairs + this.falsePairs == 0) ? 1.0
					: (double) this.truePairs / (this.truePairs + this.falsePairs);
		}

		double recall() {
			return (this.truePairs + this.missedPairs == 0) ? 1.0
					: (double) this.truePairs / (this.truePairs + this.missedPairs);
		}

		double rootAccuracy() {
			return (this.incidents == 0) ? 1.0 : (double) this.rootsRight / this.incidents;
		}

		Score plus(Score other) {
			return new Score(this.truePairs + other.truePairs, this.falsePairs + other.falsePairs,
					this.missedPairs + other.missedPairs, this.incidents + other.incidents,
					this.rootsRight + other.rootsRight);
		}

	}

	/** Scores what Rebound made of the scenarios: one incident id per error, or none. */
	static Score score(List<Played> played, Map<UUID, JsonNode> outcome) {
		Map<UUID, String> truth = new HashMap<>();
		int label = 0;
		for (Played scenario : played) {
			for (Expected incident : scenario.incidents()) {
				String name = "incident-" + label++;
				incident.errors().forEach((e) -> truth.put(e, name));
			}
			scenario.noise().forEach((e) -> truth.put(e, "noise-" + e));
		}
		List<UUID> errors = new ArrayList<>(truth.keySet());
		long tp = 0;
		long fp = 0;
		long fn = 0;
		for (int i = 0; i < errors.size(); i++) {
			for (int j = i + 1; j < errors.size(); j++) {
				boolean sameTruth = truth.get(errors.get(i)).equals(truth.get(errors.get(j)));
				JsonNode a = outcome.get(errors.get(i));
				JsonNode b = outcome.get(errors.get(j));
				boolean sameOutcome = a != null && b != null && a.get("id").asString().equals(b.get("id").asString());
				tp += (sameTruth && sameOutcome) ? 1 : 0;
				fp += (!sameTruth && sameOutcome) ? 1 : 0;
				fn += (sameTruth && !sameOutcome) ? 1 : 0;
			}
		}
		int incidents = 0;
		int rootsRight = 0;
		for (Played scenario : played) {
			for (Expected expected : scenario.incidents()) {
				incidents++;
				JsonNode got = outcome.get(expected.errors().get(0));
				boolean allThere = expected.errors().stream().allMatch(outcome::containsKey);
				if (allThere && got != null && expected.root().equals(got.get("root_agent").asString())) {
					rootsRight++;
				}
			}
		}
		// noise that landed in an incident on its own is a false alarm, not a wrong pair
		for (Played scenario : played) {
			for (UUID noise : scenario.noise()) {
				fp += outcome.containsKey(noise) ? 1 : 0;
			}
		}
		return new Score(tp, fp, fn, incidents, rootsRight);
	}

}
