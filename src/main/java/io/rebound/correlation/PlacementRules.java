package io.rebound.correlation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

import io.rebound.errors.ErrorFacts.Fact;

/**
 * Where an error belongs, decided by small rules in this order (the first that places it
 * wins): only open errors are placed; the incident it is part of already; the incident a
 * person pinned it to; the incident of a failing dependency of its agent (as a symptom);
 * the incident its own agent is the root of; a new incident when it recurs after its
 * incident was resolved; the active incident of its cause; a new incident when its cause
 * passes the rule's threshold, when it is severe enough on its own, or when it bursts. An
 * error none of them places stays outside any incident, with their notes as the reason.
 */
final class PlacementRules {

	/** The rules, in the order they are asked. */
	static final List<PlacementRule> ORDER = List.of(PlacementRules::openOnly, PlacementRules::existingIncident,
			PlacementRules::pinned, PlacementRules::failingDependency, PlacementRules::ownAgent,
			PlacementRules::recurrence, PlacementRules::cause, PlacementRules::threshold, PlacementRules::severity,
			PlacementRules::burst);

	private PlacementRules() {
	}

	/** Asks the rules in order; where the error goes, and why. */
	static Decision decide(Fact error, RoundView round) {
		StringJoiner notes = new StringJoiner("; ");
		for (PlacementRule rule : ORDER) {
			switch (rule.place(error, round)) {
				case PlacementRule.Placed placed -> {
					return placed.decision();
				}
				case PlacementRule.Passed passed -> {
					if (passed.note() != null) {
						notes.add(passed.note());
					}
				}
			}
		}
		return new Decision.Stay(notes.toString());
	}

	/** A resolved or ignored error stays where it is. */
	static PlacementRule.Outcome openOnly(Fact error, RoundView round) {
		return error.open() ? PlacementRule.Passed.QUIETLY
				: placed(new Decision.Stay("the error is " + error.status().wire()));
	}

	/** An error already in an incident stays in it. */
	static PlacementRule.Outcome existingIncident(Fact error, RoundView round) {
		return round.membership(error.id())
			.map((m) -> placed(new Decision.Join(round.incident(m.incidentId()), m.role(), List.of(),
					"it is part of this incident already")))
			.orElse(PlacementRule.Passed.QUIETLY);
	}

	/**
	 * An error a person merged or split into an incident follows it; into its recurrence
	 * once it is over.
	 */
	static PlacementRule.Outcome pinned(Fact error, RoundView round) {
		Optional<java.util.UUID> pin = round.pin(error.id());
		if (pin.isEmpty()) {
			return PlacementRule.Passed.QUIETLY;
		}
		IncidentRow incident = round.incident(pin.get());
		if (incident.status().active()) {
			return placed(
					new Decision.Join(incident, "member", List.of(), "a person merged or split it into this incident"));
		}
		return placed(recurrenceOf(error, incident, round));
	}

	/**
	 * An error whose agent depends on a failing agent is a symptom of that agent's
	 * incident, opened now if it has none.
	 */
	static PlacementRule.Outcome failingDependency(Fact error, RoundView round) {
		Optional<DependencyRoots.Root> found = round.dependencyRoot(error.source());
		if (found.isEmpty()) {
			return PlacementRule.Passed.QUIETLY;
		}
		DependencyRoots.Root root = found.get();
		String why = error.source() + " depends on " + String.join(" → ", root.path().subList(1, root.path().size()))
				+ ", and " + root.agent() + " is failing (" + root.evidence() + ")";
		Optional<IncidentRow> incident = round.activeOfRoot(root.agent());
		if (incident.isPresent()) {
			return placed(new Decision.Join(incident.get(), "symptom", root.path(), why));
		}
		Map<String, Object> reason = new LinkedHashMap<>();
		reason.put("dependency_path", root.path());
		reason.put("root_evidence", root.evidence());
		IncidentRow previous = round.lastIncident(error.id()).filter((last) -> !last.status().active()).orElse(null);
		return placed(new Decision.Open("dependency", "agent:" + root.agent(),
				root.agent() + " is failing; its dependents report errors", error, List.of(error), root.agent(),
				root.path(), previous, reason, why));
	}

	/** An error of an agent that is the root of an active incident joins it. */
	static PlacementRule.Outcome ownAgent(Fact error, RoundView round) {
		return round.activeOfRoot(error.source())
			.map((own) -> placed(new Decision.Join(own, "root", List.of(),
					"its agent " + error.source() + " is this incident's root")))
			.orElse(PlacementRule.Passed.QUIETLY);
	}

	/** An error that comes back after its incident ended recurs it. */
	static PlacementRule.Outcome recurrence(Fact error, RoundView round) {
		return round.lastIncident(error.id())
			.filter((last) -> !last.status().active())
			.map((last) -> placed(recurrenceOf(error, last, round)))
			.orElse(PlacementRule.Passed.QUIETLY);
	}

	/** An error joins the active incident of its cause (and group). */
	static PlacementRule.Outcome cause(Fact error, RoundView round) {
		if (error.cause() == null) {
			return new PlacementRule.Passed("it matched no rule");
		}
		String key = causeKey(error, round.trigger(error.ruleId()));
		return round.activeByKey(key)
			.map((active) -> placed(
					new Decision.Join(active, "member", List.of(), "its cause " + key + " has this incident")))
			.orElse(PlacementRule.Passed.QUIETLY);
	}

	/**
	 * Errors of one cause (and target, or source, as the rule groups them) open an
	 * incident together when they pass the rule's threshold: enough open errors not yet
	 * placed, from enough agents, within its window.
	 */
	static PlacementRule.Outcome threshold(Fact error, RoundView round) {
		if (error.cause() == null) {
			return PlacementRule.Passed.QUIETLY;
		}
		CompiledRule.Trigger trigger = round.trigger(error.ruleId());
		Instant since = round.now().minus(trigger.window());
		List<Fact> candidates = new ArrayList<>();
		for (Fact other : round.openWithCause(error.cause())) {
			boolean sameGroup = trigger.bySource() ? other.source().equals(error.source())
					: Objects.equals(other.groupKey(), error.groupKey());
			if (sameGroup && !other.id().equals(error.id()) && round.membership(other.id()).isEmpty()
					&& round.pin(other.id()).isEmpty() && !other.lastReceived().isBefore(since)) {
				candidates.add(other);
			}
		}
		candidates.add(error);
		long sources = candidates.stream().map(Fact::source).distinct().count();
		String figures = candidates.size() + " of " + trigger.minErrors() + " open errors from " + sources + " of "
				+ trigger.minSources() + " agents within " + trigger.window();
		if (candidates.size() < trigger.minErrors() || sources < trigger.minSources()) {
			return new PlacementRule.Passed("cause " + error.cause() + ": " + figures);
		}
		Fact first = candidates.stream().min(Comparator.comparing(Fact::firstSeen)).orElseThrow();
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
		return placed(new Decision.Open("rule", causeKey(error, trigger), title, error, candidates, first.source(),
				List.of(), null, reason, "rule " + error.ruleId() + ": " + figures));
	}

	/** An error severe enough opens an incident on its own. */
	static PlacementRule.Outcome severity(Fact error, RoundView round) {
		if (error.severity().rank() < round.properties().openAt().rank()) {
			return PlacementRule.Passed.QUIETLY;
		}
		return placed(new Decision.Open("severity", "error:" + error.id(), error.type() + " on " + error.source(),
				error, List.of(error), error.source(), List.of(), null,
				Map.of("severity", error.severity().wire(), "open_at", round.properties().openAt().wire()),
				"it is " + error.severity().wire() + ", which opens an incident on its own"));
	}

	/** An error with many events in a short window opens an incident: a burst. */
	static PlacementRule.Outcome burst(Fact error, RoundView round) {
		CorrelationProperties.Burst burst = round.properties().burst();
		int recent = round.eventsSince(error.id(), round.now().minus(burst.window()), burst.events());
		if (recent < burst.events()) {
			return new PlacementRule.Passed(
					recent + " of " + burst.events() + " events within " + burst.window() + " for a burst");
		}
		return placed(new Decision.Open("burst", "error:" + error.id(),
				"Burst of " + error.type() + " on " + error.source(), error, List.of(error), error.source(), List.of(),
				null, Map.of("events", recent, "min_events", burst.events(), "window", burst.window().toString()),
				recent + " events within " + burst.window() + " make a burst"));
	}

	/**
	 * The one failing dependency every one of these agents' errors leads to, when there
	 * is one: the agents that lead anywhere all lead there, and every other agent is that
	 * one. What re-roots an incident its rules opened.
	 */
	static Optional<DependencyRoots.Root> commonRoot(Set<String> agents, RoundView round) {
		DependencyRoots.Root common = null;
		for (String agent : agents) {
			Optional<DependencyRoots.Root> root = round.dependencyRoot(agent);
			if (root.isEmpty()) {
				continue;
			}
			if (common != null && !common.agent().equals(root.get().agent())) {
				return Optional.empty();
			}
			common = root.get();
		}
		if (common == null) {
			return Optional.empty();
		}
		String agent = common.agent();
		for (String source : agents) {
			if (!source.equals(agent) && round.dependencyRoot(source).isEmpty()) {
				return Optional.empty();
			}
		}
		return Optional.of(common);
	}

	/**
	 * The key errors of a cause correlate on: the cause, and its source or group key as
	 * its rule groups them.
	 */
	static String causeKey(Fact error, CompiledRule.Trigger trigger) {
		String key = "cause:" + error.cause();
		if (trigger.bySource()) {
			return key + "@" + error.source();
		}
		return (error.groupKey() != null) ? key + "@" + error.groupKey() : key;
	}

	/**
	 * The incident an error that came back belongs to: the active incident of its
	 * previous incident's key, or a new one linked to the previous.
	 */
	private static Decision recurrenceOf(Fact error, IncidentRow previous, RoundView round) {
		Optional<IncidentRow> active = round.activeByKey(previous.key());
		if (active.isPresent()) {
			return new Decision.Join(active.get(), "member", List.of(),
					"it recurred, and the incident of its key " + previous.key() + " is open again");
		}
		String title = previous.title().startsWith("Recurrence: ") ? previous.title()
				: "Recurrence: " + previous.title();
		return new Decision.Open("recurrence", previous.key(), title, error, List.of(error),
				(previous.rootAgent() != null) ? previous.rootAgent() : error.source(), previous.rootPath(), previous,
				Map.of("previous_incident_id", previous.id().toString()),
				"it came back after incident " + previous.id() + " was " + previous.status().wire());
	}

	private static PlacementRule.Outcome placed(Decision decision) {
		return new PlacementRule.Placed(decision);
	}

}
