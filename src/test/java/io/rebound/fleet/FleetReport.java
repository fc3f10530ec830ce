package io.rebound.fleet;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.rebound.bench.Percentiles;

/**
 * The figures of a fleet run, from its outcomes and the agents' own logs of the calls
 * they received, against the seeds' targets (MTTR &lt; 30 s, ≥ 95 % recovered
 * automatically, detection &lt; 5 s, &lt; 5 % manual intervention).
 *
 * @param faults every injected fault
 * @param curable the faults an action cures
 * @param recovered the curable faults Rebound recovered and verified, really cured
 * @param falseRecoveries runs verified while their fault still lasted
 * @param unnecessary curable faults not recovered or taken past their cure's level
 * @param uncurable faults no action cures
 * @param uncurableToPerson of those, handed to a person
 * @param curableToPerson curable faults left to a person (manual intervention)
 * @param securityActedOn control calls security faults' agents received (must be 0)
 * @param dependantsActedOn control calls the dependency's dependants received
 * @param healthyActedOn control calls agents received before any fault of theirs began
 * (or that never had one), the dependency's dependants aside
 * @param storms agents given more than the restart limit within the restart window
 * @param repeated attempts an agent received more than once (across its restarts)
 * @param attemptsPerFault Rebound's attempts per fault
 * @param detectionReported fault to incident, faults the agent reported (s)
 * @param detectionSilent fault to incident, agents gone silent (s)
 * @param mttr fault to verified recovery by kind (s)
 */
record FleetReport(int faults, int curable, int recovered, int falseRecoveries, int unnecessary, int uncurable,
		int uncurableToPerson, int curableToPerson, long securityActedOn, long dependantsActedOn, long healthyActedOn,
		int storms, long repeated, double attemptsPerFault, List<Double> detectionReported,
		List<Double> detectionSilent, Map<Fault, List<Double>> mttr) {

	static final int MAX_RESTARTS = 3;

	static final Duration RESTART_WINDOW = Duration.ofMinutes(10);

	static FleetReport of(List<Outcome> outcomes, List<FleetAgent> agents, List<FleetAgent> dependants) {
		int curable = 0;
		int recovered = 0;
		int falseRecoveries = 0;
		int unnecessary = 0;
		int uncurable = 0;
		int uncurableToPerson = 0;
		int curableToPerson = 0;
		long securityActedOn = 0;
		int attempts = 0;
		List<Double> reported = new ArrayList<>();
		List<Double> silent = new ArrayList<>();
		Map<Fault, List<Double>> mttr = new LinkedHashMap<>();
		for (Outcome outcome : outcomes) {
			attempts += outcome.attempts;
			falseRecoveries += outcome.falseRecovery ? 1 : 0;
			unnecessary += outcome.unnecessaryEscalation() ? 1 : 0;
			if (outcome.detectedAfter != null && outcome.kind != Fault.SLOW_LEAK) {
				(outcome.kind.silent() ? silent : reported).add(outcome.detectedAfter);
			}
			if (outcome.kind.curable()) {
				curable++;
				recovered += outcome.recovered() ? 1 : 0;
				curableToPerson += outcome.toPerson() ? 1 : 0;
				if (outcome.recovered()) {
					mttr.computeIfAbsent(outcome.kind, (k) -> new ArrayList<>()).add(outcome.recoveredAfter);
				}
			}
			else {
				uncurable++;
				uncurableToPerson += outcome.toPerson() ? 1 : 0;
			}
			if (outcome.kind == Fault.SECURITY) {
				securityActedOn += outcome.target.received().size();
			}
		}
		long dependantsActedOn = dependants.stream().mapToLong((a) -> a.received().size()).sum();
		long healthyActedOn = healthyCalls(outcomes, agents, dependants).size();
		int storms = 0;
		long repeated = 0;
		for (FleetAgent agent : agents) {
			List<Instant> restarts = agent.received()
				.stream()
				.filter((r) -> r.verb().equals("restart"))
				.map(FleetAgent.Received::at)
				.toList();
			for (int i = 0; i + MAX_RESTARTS < restarts.size(); i++) {
				if (Duration.between(restarts.get(i), restarts.get(i + MAX_RESTARTS)).compareTo(RESTART_WINDOW) < 0) {
					storms++;
					break;
				}
			}
			List<String> ids = agent.received()
				.stream()
				.map(FleetAgent.Received::attemptId)
				.filter(Objects::nonNull)
				.toList();
			repeated += ids.size() - Set.copyOf(ids).size();
		}
		return new FleetReport(outcomes.size(), curable, recovered, falseRecoveries, unnecessary, uncurable,
				uncurableToPerson, curableToPerson, securityActedOn, dependantsActedOn, healthyActedOn, storms,
				repeated, outcomes.isEmpty() ? 0 : (double) attempts / outcomes.size(), reported, silent, mttr);
	}

	/**
	 * The control calls agents received before any fault of theirs began, or without one
	 * (the dependency's dependants aside: counted on their own), as {@code agent: call}.
	 */
	static List<String> healthyCalls(List<Outcome> outcomes, List<FleetAgent> agents, List<FleetAgent> dependants) {
		Map<FleetAgent, Instant> broken = new java.util.HashMap<>();
		for (Outcome outcome : outcomes) {
			for (FleetAgent agent : outcome.involved) {
				broken.merge(agent, outcome.at, (a, b) -> a.isBefore(b) ? a : b);
			}
		}
		List<String> calls = new ArrayList<>();
		for (FleetAgent agent : agents) {
			if (dependants.contains(agent)) {
				continue;
			}
			Instant since = broken.get(agent);
			agent.received()
				.stream()
				.filter((r) -> since == null || r.at().isBefore(since))
				.forEach((r) -> calls.add(agent.id + ": " + r));
		}
		return calls;
	}

	List<Double> allMttr() {
		return this.mttr.values().stream().flatMap(List::stream).toList();
	}

	double recoveredShare() {
		return (this.curable == 0) ? 1 : (double) this.recovered / this.curable;
	}

	double manualShare() {
		return (this.curable == 0) ? 0 : (double) this.curableToPerson / this.curable;
	}

	void print(PrintStream out, String title) {
		out.println();
		out.println(title);
		out.println("| figure | target | measured |");
		out.println("|---|---|---|");
		out.printf("| detection, reported fault (fault → incident) | < 5 s | p50 %s, p99 %s (n=%d) |%n",
				s(Percentiles.of(this.detectionReported, 50)), s(Percentiles.of(this.detectionReported, 99)),
				this.detectionReported.size());
		out.printf("| detection, silent agent | < 5 s | p50 %s, p99 %s (n=%d) |%n",
				s(Percentiles.of(this.detectionSilent, 50)), s(Percentiles.of(this.detectionSilent, 99)),
				this.detectionSilent.size());
		List<Double> all = allMttr();
		out.printf("| MTTR, fault → verified recovery, all curable | < 30 s | p50 %s, p99 %s |%n",
				s(Percentiles.of(all, 50)), s(Percentiles.of(all, 99)));
		for (Map.Entry<Fault, List<Double>> kind : this.mttr.entrySet()) {
			out.printf("| MTTR, %s | < 30 s | p50 %s, p99 %s (n=%d) |%n", kind.getKey().label,
					s(Percentiles.of(kind.getValue(), 50)), s(Percentiles.of(kind.getValue(), 99)),
					kind.getValue().size());
		}
		out.printf("| curable faults recovered automatically | ≥ 95 %% | %d/%d (%.0f %%) |%n", this.recovered,
				this.curable, 100 * recoveredShare());
		out.printf("| curable faults left to a person (manual intervention) | < 5 %% | %d/%d (%.0f %%) |%n",
				this.curableToPerson, this.curable, 100 * manualShare());
		out.printf("| uncurable faults handed to a person | all | %d/%d |%n", this.uncurableToPerson, this.uncurable);
		out.printf("| unnecessary escalations | 0 | %d |%n", this.unnecessary);
		out.printf("| false recoveries (verified while still broken) | 0 | %d |%n", this.falseRecoveries);
		out.printf("| restart storms (> %d restarts of one agent in %d min) | 0 | %d |%n", MAX_RESTARTS,
				RESTART_WINDOW.toMinutes(), this.storms);
		out.printf("| control calls on security faults' agents | 0 | %d |%n", this.securityActedOn);
		out.printf("| control calls on the dependency's dependants | 0 | %d |%n", this.dependantsActedOn);
		out.printf("| control calls on agents with no fault (yet) | 0 | %d |%n", this.healthyActedOn);
		out.printf("| attempts an agent received twice | 0 | %d |%n", this.repeated);
		out.printf("| attempts per fault | — | %.2f |%n", this.attemptsPerFault);
		out.println();
	}

	private static String s(double seconds) {
		return Double.isNaN(seconds) ? "—" : String.format("%.1f s", seconds);
	}

}
