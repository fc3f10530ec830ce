package io.rebound.recovery;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses among a level's strategies by their record for this kind of error. The score
 * weighs success rate 0.4, time to recover 0.15, impact 0.15, stability after recovery
 * 0.15 and affected work recovered 0.15; each part is smoothed toward the strategy's
 * prior (or ½) while history is thin. An exploration bonus (UCB1:
 * {@code c·√(ln(1+N)/(1+n))}, N attempts at the level, n the strategy's) lets strategies
 * with little history be tried. Deterministic: the same records give the same choice.
 */
final class Selection {

	private Selection() {
	}

	/**
	 * A strategy that can act, with its plan and record.
	 *
	 * @param strategy the strategy
	 * @param plan its plan for this target, or {@code null} (when only its record is
	 * scored)
	 * @param record its record for this kind of error, or {@code null}
	 */
	record Candidate(Strategy strategy, Strategy.Plan plan, RecoveryRecords.Record record) {
	}

	/**
	 * A candidate's standing.
	 *
	 * @param strategy the strategy's name
	 * @param score the weighted score
	 * @param bonus the exploration bonus
	 * @param parts the score's parts
	 * @param attempts its judged attempts for this kind of error
	 */
	record Ranked(String strategy, double score, double bonus, Map<String, Double> parts, int attempts) {

		double total() {
			return this.score + this.bonus;
		}

	}

	/** The candidates best first (ties by name). */
	static List<Ranked> rank(List<Candidate> candidates, double exploration) {
		int all = candidates.stream().mapToInt((c) -> (c.record() != null) ? c.record().attempts() : 0).sum();
		return candidates.stream()
			.map((c) -> ranked(c, all, exploration))
			.sorted(Comparator.comparingDouble(Ranked::total).reversed().thenComparing(Ranked::strategy))
			.toList();
	}

	static Ranked ranked(Candidate candidate, int all, double exploration) {
		RecoveryRecords.Record r = candidate.record();
		int attempts = (r != null) ? r.attempts() : 0;
		int successes = (r != null) ? r.successes() : 0;
		double prior = (candidate.strategy() != null) ? candidate.strategy().prior() : 0.5;
		Map<String, Double> parts = new LinkedHashMap<>();
		parts.put("success_rate", (successes + 2 * prior) / (attempts + 2));
		parts.put("time_to_recover", (successes > 0) ? 1 / (1 + r.ttrSecondsSum() / successes / 60) : 0.5);
		// impact: fewer agents acted on is better; the plan's when there is one, else the
		// record's average
		double acted = (candidate.plan() != null) ? candidate.plan().actions().size()
				: (attempts > 0) ? (double) r.actionsSum() / attempts : 1;
		parts.put("impact", 1.0 / Math.max(1, acted));
		parts.put("stability", (r != null) ? (successes - r.relapses() + 1.0) / (successes + 2) : 0.5);
		parts.put("work_recovered", (r != null) ? (r.recoveredSum() + 1) / (attempts + 2) : 0.5);
		double score = 0.4 * parts.get("success_rate") + 0.15 * parts.get("time_to_recover")
				+ 0.15 * parts.get("impact") + 0.15 * parts.get("stability") + 0.15 * parts.get("work_recovered");
		double bonus = exploration * Math.sqrt(Math.log(1 + all) / (1 + attempts));
		return new Ranked(candidate.strategy().name(), round(score), round(bonus), parts, attempts);
	}

	private static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

}
