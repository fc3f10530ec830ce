package io.rebound.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.rebound.agents.AgentGraph;

import org.springframework.stereotype.Component;

/**
 * Chooses what a run does at its level: asks every strategy of the level for its plan on
 * the target, ranks those that can act by their record for the kind of error
 * ({@link Selection}), takes the one the run's rule recommends when it can act, else the
 * best, and gives its adaptive timeout and the explanation stored with the attempt.
 */
@Component
class Chooser {

	private final List<Strategy> strategies;

	private final RecoveryRecords records;

	private final AgentGraph agents;

	private final RecoveryProperties properties;

	Chooser(List<Strategy> strategies, RecoveryRecords records, AgentGraph agents, RecoveryProperties properties) {
		this.strategies = strategies;
		java.util.Set<String> names = strategies.stream()
			.map(Strategy::name)
			.collect(java.util.stream.Collectors.toSet());
		properties.policies().forEach((tier, policy) -> policy.symptoms().strategies().forEach((name) -> {
			if (!names.contains(name)) {
				throw new IllegalArgumentException("rebound.recovery.policies." + tier + ".symptoms: no strategy '"
						+ name + "' (known: " + new java.util.TreeSet<>(names) + ")");
			}
		}));
		this.records = records;
		this.agents = agents;
		this.properties = properties;
	}

	/**
	 * A choice.
	 *
	 * @param chosen the strategy with its plan, or {@code null} when none can act
	 * @param cannot why the others cannot
	 * @param timeout each call's timeout
	 * @param explanation the ranking and what decided it
	 */
	record Choice(Selection.Candidate chosen, List<String> cannot, Duration timeout, Map<String, Object> explanation) {
	}

	/** Whether this strategy has a plan for this agent now. */
	boolean canAct(Strategy strategy, AgentGraph.Node target, Policy policy, String errorClass) {
		return strategy.plan(context(target, policy, errorClass)).possible();
	}

	Choice choose(RecoveryStore.Run run, AgentGraph.Node target, Policy policy, String errorClass) {
		Strategy.Target context = context(target, policy, errorClass);
		Map<String, RecoveryRecords.Record> history = this.records.of(run.errorKind());
		List<Selection.Candidate> candidates = new ArrayList<>();
		List<String> cannot = new ArrayList<>();
		for (Strategy strategy : this.strategies) {
			if (strategy.level() == run.level()) {
				Strategy.Plan plan = strategy.plan(context);
				if (plan.possible()) {
					candidates.add(new Selection.Candidate(strategy, plan, history.get(strategy.name())));
				}
				else {
					cannot.add(strategy.name() + ": " + plan.cannot());
				}
			}
		}
		if (candidates.isEmpty()) {
			return new Choice(null, cannot, null, Map.of());
		}
		List<Selection.Ranked> ranking = Selection.rank(candidates, this.properties.exploration());
		// the strategy the rule recommends, when it can act at this level; else the best
		String pick = candidates.stream()
			.map((c) -> c.strategy().name())
			.filter((name) -> name.equals(run.recommended()))
			.findFirst()
			.orElse(ranking.get(0).strategy());
		Selection.Candidate chosen = candidates.stream()
			.filter((c) -> c.strategy().name().equals(pick))
			.findFirst()
			.orElseThrow();
		Map<String, Object> explanation = new LinkedHashMap<>();
		explanation.put("error_kind", run.errorKind());
		explanation.put("ranking", ranking);
		if (pick.equals(run.recommended())) {
			explanation.put((run.recommendedWhy() != null) ? "chosen_by_symptom" : "recommended_by_rule",
					(run.recommendedWhy() != null) ? pick + " (" + run.recommendedWhy() + ")" : pick);
		}
		if (!cannot.isEmpty()) {
			explanation.put("could_not", cannot);
		}
		return new Choice(chosen, cannot, this.records.timeout(chosen.record()), explanation);
	}

	private Strategy.Target context(AgentGraph.Node target, Policy policy, String errorClass) {
		List<AgentGraph.Node> dependencies = new ArrayList<>();
		target.dependsOn().forEach((d) -> this.agents.node(d).ifPresent(dependencies::add));
		dependencies.sort(Comparator.comparing(AgentGraph.Node::id));
		List<AgentGraph.Node> group = (target.group() != null) ? this.agents.group(target.group()) : List.of();
		Optional<AgentGraph.Node> backup = Optional.ofNullable(target.backup()).flatMap(this.agents::node);
		return new Strategy.Target(target, dependencies, group, policy, this.properties::policy, errorClass, backup);
	}

}
