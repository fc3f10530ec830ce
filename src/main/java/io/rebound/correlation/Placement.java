package io.rebound.correlation;

import java.time.Instant;
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
 * only; {@link Round} applies the decisions, {@link CauseThreshold} decides by cause.
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

	private final CauseThreshold causes;

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
		this.causes = new CauseThreshold(facts, rules, properties, now);
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
			Decision byCause = this.causes.decide(error, this);
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

	/** The rounds' cache of open errors of this cause is out of date. */
	void forgetCause(String cause) {
		this.causes.forget(cause);
	}

	IncidentRow incident(UUID id) {
		IncidentRow known = this.activeById.get(id);
		return (known != null) ? known : this.store.find(id).orElseThrow();
	}

	Optional<IncidentRow> activeByKey(String key) {
		return this.activeByKey.computeIfAbsent(key, this.store::activeByKey);
	}

	private static Decision.Open open(String kind, String key, String title, Fact lead, List<Fact> members,
			String rootAgent, List<String> path, IncidentRow previous, Map<String, Object> reason, String why) {
		return new Decision.Open(kind, key, title, lead, members, rootAgent, path, previous, reason, why);
	}

}
