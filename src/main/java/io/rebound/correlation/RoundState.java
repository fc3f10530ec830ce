package io.rebound.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.rebound.errors.ErrorFacts;
import io.rebound.errors.ErrorFacts.Fact;

/**
 * What one correlation round knows — the memberships, pins and last incidents of the
 * errors it looks at, the active incidents by root, key and id, the failing dependencies,
 * the open errors of each cause — loaded lazily in few queries and kept up to date by
 * {@link Round} as it applies its decisions. The placement rules see it only as a
 * {@link RoundView}; an explanation reads one without a round.
 */
final class RoundState implements RoundView {

	private final IncidentStore store;

	private final IncidentMembers members;

	private final ErrorFacts facts;

	private final CorrelationProperties properties;

	private final Instant now;

	private final DependencyRoots roots;

	private final Map<String, CompiledRule.Trigger> triggers = new HashMap<>();

	private final CompiledRule.Trigger defaultTrigger;

	private final Duration longestWindow;

	private final Map<UUID, IncidentMembers.Membership> memberships = new HashMap<>();

	private final Map<UUID, UUID> pins = new HashMap<>();

	private final Map<UUID, IncidentRow> lastIncidents = new HashMap<>();

	private final Map<String, IncidentRow> activeByRoot = new HashMap<>();

	private final Map<String, Optional<IncidentRow>> activeByKey = new HashMap<>();

	private final Map<UUID, IncidentRow> activeById = new HashMap<>();

	private final Map<String, List<Fact>> byCause = new HashMap<>();

	private final Set<UUID> prepared = new HashSet<>();

	RoundState(IncidentStore store, IncidentMembers members, ErrorFacts facts, RuleSet rules,
			CorrelationProperties properties, Instant now, DependencyRoots roots, List<IncidentRow> active) {
		this.store = store;
		this.members = members;
		this.facts = facts;
		this.properties = properties;
		this.now = now;
		this.roots = roots;
		CorrelationProperties.Incident defaults = properties.incident();
		this.defaultTrigger = new CompiledRule.Trigger(false, defaults.minErrors(), defaults.minSources(),
				defaults.window());
		Duration longest = defaults.window();
		for (CompiledRule rule : rules.rules()) {
			this.triggers.putIfAbsent(rule.id(), rule.trigger());
			longest = (rule.trigger().window().compareTo(longest) > 0) ? rule.trigger().window() : longest;
		}
		this.longestWindow = longest;
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

	@Override
	public Instant now() {
		return this.now;
	}

	@Override
	public CorrelationProperties properties() {
		return this.properties;
	}

	@Override
	public Optional<IncidentMembers.Membership> membership(UUID errorId) {
		return Optional.ofNullable(this.memberships.get(errorId));
	}

	@Override
	public Optional<UUID> pin(UUID errorId) {
		return Optional.ofNullable(this.pins.get(errorId));
	}

	@Override
	public Optional<IncidentRow> lastIncident(UUID errorId) {
		return Optional.ofNullable(this.lastIncidents.get(errorId));
	}

	@Override
	public Optional<IncidentRow> activeOfRoot(String agent) {
		return Optional.ofNullable(this.activeByRoot.get(agent));
	}

	@Override
	public Optional<IncidentRow> activeByKey(String key) {
		return this.activeByKey.computeIfAbsent(key, this.store::activeByKey);
	}

	@Override
	public IncidentRow incident(UUID id) {
		IncidentRow known = this.activeById.get(id);
		return (known != null) ? known : this.store.find(id).orElseThrow();
	}

	@Override
	public Optional<DependencyRoots.Root> dependencyRoot(String source) {
		return this.roots.of(source);
	}

	@Override
	public CompiledRule.Trigger trigger(String ruleId) {
		return this.triggers.getOrDefault(ruleId, this.defaultTrigger);
	}

	@Override
	public List<Fact> openWithCause(String cause) {
		List<Fact> found = this.byCause.computeIfAbsent(cause,
				(c) -> this.facts.openWithCause(c, this.now.minus(this.longestWindow)));
		prepare(found.stream().map(Fact::id).toList());
		return found;
	}

	@Override
	public int eventsSince(UUID errorId, Instant since, int limit) {
		return this.facts.eventsSince(errorId, since, limit);
	}

	/** Whether the error is in an incident, as far as this round knows. */
	boolean isMember(UUID errorId) {
		return this.memberships.containsKey(errorId);
	}

	/** Whether a person pinned the error to an incident. */
	boolean isPinned(UUID errorId) {
		return this.pins.containsKey(errorId);
	}

	/** The error joined an incident this round. */
	void joined(UUID errorId, UUID incidentId, String role) {
		this.memberships.put(errorId, new IncidentMembers.Membership(incidentId, role));
	}

	/** An incident was opened this round; its cause's open errors are out of date. */
	void opened(IncidentRow incident) {
		this.activeByKey.put(incident.key(), Optional.of(incident));
		this.activeById.put(incident.id(), incident);
		if (incident.rootAgent() != null) {
			this.activeByRoot.putIfAbsent(incident.rootAgent(), incident);
		}
		if (incident.cause() != null) {
			this.byCause.remove(incident.cause());
		}
	}

	/** The incident of this key was merged away. */
	void closedKey(String key) {
		this.activeByKey.put(key, Optional.empty());
	}

	/** This agent is now the root of this active incident. */
	void rooted(String agent, IncidentRow incident) {
		this.activeByRoot.put(agent, incident);
	}

	/** The failing dependencies, for the round's own use. */
	DependencyRoots roots() {
		return this.roots;
	}

}
