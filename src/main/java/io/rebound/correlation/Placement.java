package io.rebound.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.rebound.errors.ErrorFacts;
import io.rebound.errors.ErrorFacts.Fact;

/**
 * Decides where an error belongs, in this order: the incident it is already part of; the
 * incident a person pinned it to; the incident of a failing dependency of its agent (as a
 * symptom); the incident its own agent is the root of; the active incident of its cause;
 * a new incident when it recurs after its incident was resolved, when its cause passes
 * the rule's threshold, when it is severe enough on its own, or when it bursts. Reads
 * only; {@link Round} applies the decisions.
 */
class Placement {

	final IncidentStore store;

	final IncidentMembers members;

	final ErrorFacts facts;

	final RuleSet rules;

	final CorrelationProperties properties;

	final Instant now;

	final DependencyRoots roots;

	final Map<UUID, IncidentMembers.Membership> memberships = new HashMap<>();

	final Map<UUID, UUID> pins = new HashMap<>();

	final Map<UUID, IncidentRow> lastIncidents = new HashMap<>();

	final Map<String, IncidentRow> activeByRoot = new HashMap<>();

	final Map<String, Optional<IncidentRow>> activeByKey = new HashMap<>();

	final Map<UUID, IncidentRow> activeById = new HashMap<>();

	private final Map<String, List<Fact>> byCause = new HashMap<>();

	private final Set<UUID> prepared = new HashSet<>();

	Placement(IncidentStore store, IncidentMembers members, ErrorFacts facts, RuleSet rules,
			CorrelationProperties properties, Instant now, DependencyRoots roots, List<IncidentRow> active) {
		this.store = store;
		this.members = members;
		this.facts = facts;
		this.rules = rules;
		this.properties = properties;
		this.now = now;
		this.roots = roots;
		for (IncidentRow incident : active) {
			if (incident.rootAgent() != null && !incident.kind().equals("manual")) {
				this.activeByRoot.putIfAbsent(incident.rootAgent(), incident);
			}
			this.activeByKey.put(incident.key(), Optional.of(incident));
			this.activeById.put(incident.id(), incident);
		}
	}

	/** Loads what the decisions about these errors need, in three queries. */
	void prepare(Collection<UUID> errorIds) {
		List<UUID> unknown = errorIds.stream().filter(this.prepared::add).toList();
		this.memberships.putAll(this.members.memberships(unknown));
		this.pins.putAll(this.members.pins(unknown));
		this.lastIncidents.putAll(this.members.lastIncidents(unknown));
	}

	Decision decide(Fact error) {
		if (!error.open()) {
			return new Decision.Stay("the error is " + error.status().wire());
		}
		IncidentMembers.Membership membership = this.memberships.get(error.id());
		if (membership != null) {
			IncidentRow incident = incident(membership.incidentId());
			return new Decision.Join(incident, membership.role(), List.of(), "it is part of this incident already");
		}
		UUID pinned = this.pins.get(error.id());
		IncidentRow last = this.lastIncidents.get(error.id());
		if (pinned != null) {
			IncidentRow incident = incident(pinned);
			if (incident.status().active()) {
				return new Decision.Join(incident, "member", List.of(),
						"a person merged or split it into this incident");
			}
			return recurrence(error, incident);
		}
		Optional<DependencyRoots.Root> root = this.roots.of(error.source());
		if (root.isPresent()) {
			return dependency(error, root.get(), last);
		}
		IncidentRow own = this.activeByRoot.get(error.source());
		if (own != null) {
			return new Decision.Join(own, "root", List.of(),
					"its agent " + error.source() + " is this incident's root");
		}
		if (last != null && !last.status().active()) {
			return recurrence(error, last);
		}
		String waiting = "it matched no rule";
		if (error.cause() != null) {
			Decision byCause = byCause(error);
			if (!(byCause instanceof Decision.Stay stay)) {
				return byCause;
			}
			waiting = stay.why();
		}
		if (error.severity().rank() >= this.properties.openAt().rank()) {
			return open("severity", "error:" + error.id(), error.type() + " on " + error.source(), error,
					List.of(error), error.source(), List.of(), null,
					Map.of("severity", error.severity().wire(), "open_at", this.properties.openAt().wire()),
					"it is " + error.severity().wire() + ", which opens an incident on its own");
		}
		CorrelationProperties.Burst burst = this.properties.burst();
		int recent = this.facts.eventsSince(error.id(), this.now.minus(burst.window()), burst.events());
		if (recent >= burst.events()) {
			return open("burst", "error:" + error.id(), "Burst of " + error.type() + " on " + error.source(), error,
					List.of(error), error.source(), List.of(), null,
					Map.of("events", recent, "min_events", burst.events(), "window", burst.window().toString()),
					recent + " events within " + burst.window() + " make a burst");
		}
		return new Decision.Stay(waiting + "; " + recent + " of " + burst.events() + " events within " + burst.window()
				+ " for a burst");
	}

	private Decision dependency(Fact error, DependencyRoots.Root root, IncidentRow last) {
		String why = error.source() + " depends on " + String.join(" → ", root.path().subList(1, root.path().size()))
				+ ", and " + root.agent() + " is failing (" + root.evidence() + ")";
		IncidentRow incident = this.activeByRoot.get(root.agent());
		if (incident != null) {
			return new Decision.Join(incident, "symptom", root.path(), why);
		}
		Map<String, Object> reason = new LinkedHashMap<>();
		reason.put("dependency_path", root.path());
		reason.put("root_evidence", root.evidence());
		return open("dependency", "agent:" + root.agent(), root.agent() + " is failing; its dependents report errors",
				error, List.of(error), root.agent(), root.path(),
				(last != null && !last.status().active()) ? last : null, reason, why);
	}

	private Decision recurrence(Fact error, IncidentRow previous) {
		Optional<IncidentRow> active = activeByKey(previous.key());
		if (active.isPresent()) {
			return new Decision.Join(active.get(), "member", List.of(),
					"it recurred, and the incident of its key " + previous.key() + " is open again");
		}
		String title = previous.title().startsWith("Recurrence: ") ? previous.title()
				: "Recurrence: " + previous.title();
		return open("recurrence", previous.key(), title, error, List.of(error),
				(previous.rootAgent() != null) ? previous.rootAgent() : error.source(), previous.rootPath(), previous,
				Map.of("previous_incident_id", previous.id().toString()),
				"it came back after incident " + previous.id() + " was " + previous.status().wire());
	}

	private Decision byCause(Fact error) {
		CompiledRule.Trigger trigger = trigger(error.ruleId());
		String key = key(error, trigger);
		Optional<IncidentRow> active = activeByKey(key);
		if (active.isPresent()) {
			return new Decision.Join(active.get(), "member", List.of(), "its cause " + key + " has this incident");
		}
		List<Fact> candidates = new ArrayList<>();
		for (Fact other : openWithCause(error.cause(), trigger.window())) {
			boolean sameGroup = trigger.bySource() ? other.source().equals(error.source())
					: java.util.Objects.equals(other.groupKey(), error.groupKey());
			if (sameGroup && !other.id().equals(error.id()) && !this.memberships.containsKey(other.id())
					&& !this.pins.containsKey(other.id())
					&& !other.lastSeen().isBefore(this.now.minus(trigger.window()))) {
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
		return open("rule", key, title, error, candidates, first.source(), List.of(), null, reason,
				"rule " + error.ruleId() + ": " + figures);
	}

	IncidentRow incident(UUID id) {
		IncidentRow known = this.activeById.get(id);
		return (known != null) ? known : this.store.find(id).orElseThrow();
	}

	Optional<IncidentRow> activeByKey(String key) {
		return this.activeByKey.computeIfAbsent(key, this.store::activeByKey);
	}

	private List<Fact> openWithCause(String cause, Duration window) {
		List<Fact> found = this.byCause.computeIfAbsent(cause,
				(c) -> this.facts.openWithCause(c, this.now.minus(maxWindow())));
		prepare(found.stream().map(Fact::id).toList());
		return found;
	}

	private Duration maxWindow() {
		Duration longest = this.properties.incident().window();
		for (CompiledRule rule : this.rules.rules()) {
			longest = (rule.trigger().window().compareTo(longest) > 0) ? rule.trigger().window() : longest;
		}
		return longest;
	}

	void forgetCause(String cause) {
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

	private static Decision.Open open(String kind, String key, String title, Fact lead, List<Fact> members,
			String rootAgent, List<String> path, IncidentRow previous, Map<String, Object> reason, String why) {
		return new Decision.Open(kind, key, title, lead, members, rootAgent, path, previous, reason, why);
	}

}
