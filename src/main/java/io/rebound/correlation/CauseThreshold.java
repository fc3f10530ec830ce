package io.rebound.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.rebound.errors.ErrorFacts;
import io.rebound.errors.ErrorFacts.Fact;

/**
 * One step of {@link Placement}: errors of the same cause (and target, or source, as the
 * rule groups them) gather into one incident, opened when they pass the rule's threshold
 * — enough open errors from enough agents within its window. Caches the open errors of
 * each cause for one round.
 */
final class CauseThreshold {

	private final ErrorFacts facts;

	private final RuleSet rules;

	private final CorrelationProperties properties;

	private final Instant now;

	private final Map<String, List<Fact>> byCause = new HashMap<>();

	CauseThreshold(ErrorFacts facts, RuleSet rules, CorrelationProperties properties, Instant now) {
		this.facts = facts;
		this.rules = rules;
		this.properties = properties;
		this.now = now;
	}

	/**
	 * Joins the active incident of the error's cause, opens one when the cause passes its
	 * rule's threshold among the open errors not yet placed, or says why it waits.
	 */
	Decision decide(Fact error, Placement placement) {
		CompiledRule.Trigger trigger = trigger(error.ruleId());
		String key = key(error, trigger);
		Optional<IncidentRow> active = placement.activeByKey(key);
		if (active.isPresent()) {
			return new Decision.Join(active.get(), "member", List.of(), "its cause " + key + " has this incident");
		}
		List<Fact> candidates = new ArrayList<>();
		for (Fact other : openWithCause(error.cause(), placement)) {
			boolean sameGroup = trigger.bySource() ? other.source().equals(error.source())
					: java.util.Objects.equals(other.groupKey(), error.groupKey());
			if (sameGroup && !other.id().equals(error.id()) && !placement.memberships.containsKey(other.id())
					&& !placement.pins.containsKey(other.id())
					&& !other.lastReceived().isBefore(this.now.minus(trigger.window()))) {
				candidates.add(other);
			}
		}
		candidates.add(error);
		long sources = candidates.stream().map(Fact::source).distinct().count();
		String figures = candidates.size() + " of " + trigger.minErrors() + " open errors from " + sources + " of "
				+ trigger.minSources() + " agents within " + trigger.window();
		if (candidates.size() < trigger.minErrors() || sources < trigger.minSources()) {
			return new Decision.Stay("cause " + error.cause() + ": " + figures);
		}
		Fact first = candidates.stream().min(java.util.Comparator.comparing(Fact::firstSeen)).orElseThrow();
		Map<String, Object> reason = new LinkedHashMap<>();
		reason.put("rule", error.ruleId());
		reason.put("cause", error.cause());
		reason.put("errors", candidates.size());
		reason.put("sources", sources);
		reason.put("min_errors", trigger.minErrors());
		reason.put("min_sources", trigger.minSources());
		reason.put("window", trigger.window().toString());
		String title = error.cause() + ((error.groupKey() != null) ? " at " + error.groupKey() : "") + " from "
				+ sources + ((sources == 1) ? " agent" : " agents");
		return new Decision.Open("rule", key, title, error, candidates, first.source(), List.of(), null, reason,
				"rule " + error.ruleId() + ": " + figures);
	}

	private List<Fact> openWithCause(String cause, Placement placement) {
		List<Fact> found = this.byCause.computeIfAbsent(cause,
				(c) -> this.facts.openWithCause(c, this.now.minus(maxWindow())));
		placement.prepare(found.stream().map(Fact::id).toList());
		return found;
	}

	private Duration maxWindow() {
		Duration longest = this.properties.incident().window();
		for (CompiledRule rule : this.rules.rules()) {
			longest = (rule.trigger().window().compareTo(longest) > 0) ? rule.trigger().window() : longest;
		}
		return longest;
	}

	void forget(String cause) {
		this.byCause.remove(cause);
	}

	CompiledRule.Trigger trigger(String ruleId) {
		for (CompiledRule rule : this.rules.rules()) {
			if (rule.id().equals(ruleId)) {
				return rule.trigger();
			}
		}
		CorrelationProperties.Incident defaults = this.properties.incident();
		return new CompiledRule.Trigger(false, defaults.minErrors(), defaults.minSources(), defaults.window());
	}

	static String key(Fact error, CompiledRule.Trigger trigger) {
		String key = "cause:" + error.cause();
		if (trigger.bySource()) {
			return key + "@" + error.source();
		}
		return (error.groupKey() != null) ? key + "@" + error.groupKey() : key;
	}

}
