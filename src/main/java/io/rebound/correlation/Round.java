package io.rebound.correlation;

import java.time.Instant;
import java.util.ArrayList;
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
import io.rebound.errors.Severity;

import org.springframework.context.ApplicationEventPublisher;

/**
 * One round of the correlator, inside one transaction under correlation's lock: places
 * each error with news where {@link PlacementRules} decide, then looks again at the roots
 * of the active incidents, since an agent found failing now may explain errors placed
 * before. Writes what it decided and keeps its {@link RoundState} up to date; publishes
 * its events as it goes, in the round's transaction (other features hear of them after
 * the commit).
 */
final class Round {

	private final ApplicationEventPublisher events;

	private final IncidentStore store;

	private final IncidentMembers members;

	private final ErrorFacts facts;

	private final CorrelationProperties properties;

	private final Instant now;

	private final RoundState state;

	private final Map<UUID, List<UUID>> added = new LinkedHashMap<>();

	private final Map<UUID, Activity> activity = new HashMap<>();

	/**
	 * The worst severity among an incident's errors with news this round, and when the
	 * correlator saw the news: quiet is measured on Rebound's clock, never on the agents'
	 * timestamps, so a backlog or a skewed clock cannot resolve an incident that is busy.
	 */
	private record Activity(Severity severity, Instant lastSeen) {

		Activity with(Activity other) {
			return new Activity(this.severity.max(other.severity),
					other.lastSeen.isAfter(this.lastSeen) ? other.lastSeen : this.lastSeen);
		}

	}

	private final Set<UUID> opened = new HashSet<>();

	private boolean failingMaybe;

	Round(IncidentStore store, IncidentMembers members, ErrorFacts facts, CorrelationProperties properties,
			RoundState state, ApplicationEventPublisher events) {
		this.events = events;
		this.store = store;
		this.members = members;
		this.facts = facts;
		this.properties = properties;
		this.now = state.now();
		this.state = state;
	}

	void place(Fact error) {
		if (!this.state.isMember(error.id()) && error.severity().rank() >= Severity.HIGH.rank()) {
			// its agent may count as failing from now on
			this.failingMaybe = true;
		}
		switch (PlacementRules.decide(error, this.state)) {
			case Decision.Join join -> join(join.incident(), error, join.role(), join.path(), "correlator");
			case Decision.Open open -> open(open);
			case Decision.Stay stay -> {
			}
		}
	}

	private void join(IncidentRow incident, Fact error, String role, List<String> path, String by) {
		if (!this.state.isMember(error.id())) {
			this.members.attach(incident.id(), error.id(), error.source(), role, path, by);
			this.state.joined(error.id(), incident.id(), role);
			this.added.computeIfAbsent(incident.id(), (id) -> new ArrayList<>()).add(error.id());
		}
		this.activity.merge(incident.id(), new Activity(error.severity(), this.now), Activity::with);
	}

	private void open(Decision.Open open) {
		UUID id = UUID.randomUUID();
		// a dependency's incident is recovered on the dependency: its own classified
		// error,
		// when it has one, says how (a crash: a restart), not its dependants' symptoms
		Fact lead = open.kind().equals("dependency") ? rootsOwn(open.rootAgent()).orElse(open.lead()) : open.lead();
		Severity severity = open.members().stream().map(Fact::severity).reduce(Severity::max).orElseThrow();
		UUID rootError = open.members()
			.stream()
			.filter((m) -> m.source().equals(open.rootAgent()))
			.max(java.util.Comparator.comparingInt((Fact m) -> m.severity().rank()).thenComparing(Fact::lastSeen))
			.map(Fact::id)
			.orElse(null);
		IncidentRow incident = new IncidentRow(id, IncidentStatus.OPEN, open.kind(), open.key(), open.title(),
				severity.wire(), lead.cause(), lead.ruleId(), lead.errorClass(), lead.recovery(), open.rootAgent(),
				rootError, open.path(), (open.previous() != null) ? open.previous().id() : null, null, 0, 0, this.now,
				this.now, null);
		Map<String, Object> reason = new LinkedHashMap<>(open.reason());
		reason.put("why", open.why());
		this.store.insert(incident, reason);
		this.opened.add(id);
		for (Fact member : open.members()) {
			boolean root = member.source().equals(open.rootAgent());
			String role = root ? "root" : open.kind().equals("dependency") ? "symptom" : "member";
			List<String> path = (member == lead && !root) ? open.path() : List.of();
			join(incident, member, role, path, open.kind());
		}
		if (open.previous() != null) {
			this.members.repin(open.previous().id(), id);
			this.store.timeline(open.previous().id(), "recurred", "rebound", Map.of("incident_id", id.toString()));
		}
		this.store.timeline(id, "opened", "rebound", reason);
		this.state.opened(incident);
		if (open.rootAgent() != null && (open.kind().equals("dependency")
				|| open.members().stream().allMatch((m) -> m.source().equals(open.rootAgent())))) {
			this.state.roots().rootOfIncident(open.rootAgent());
		}
		String category = open.members()
			.stream()
			.filter((m) -> m.source().equals(open.rootAgent()))
			.map((m) -> m.category().wire())
			.findFirst()
			.orElse(null);
		this.events.publishEvent(new IncidentOpened(id, open.kind(), severity.wire(), category, lead.cause(),
				lead.errorClass(), RecoveryDirective.tryParse(lead.recovery()), open.rootAgent(),
				incident.previousIncidentId(), open.members().stream().map(Fact::id).toList(), this.now));
		if (open.kind().equals("dependency")) {
			gather(incident, open.rootAgent());
		}
	}

	/**
	 * The failing agent's own most severe open error of high severity or worse (what
	 * makes it count as failing) that a rule classified.
	 */
	private Optional<Fact> rootsOwn(String root) {
		return this.facts.openFrom(Set.of(root), this.now.minus(this.properties.dependencyWindow()))
			.stream()
			.filter((f) -> f.source().equals(root) && f.cause() != null && f.severity().rank() >= Severity.HIGH.rank())
			.max(java.util.Comparator.comparingInt((Fact f) -> f.severity().rank()).thenComparing(Fact::lastSeen));
	}

	/**
	 * Takes in the open errors a newly found root explains: its own and its dependents'.
	 */
	private void gather(IncidentRow incident, String root) {
		Set<String> agents = new HashSet<>(this.state.roots().affectedBy(root));
		agents.add(root);
		List<Fact> errors = this.facts.openFrom(agents, this.now.minus(this.properties.dependencyWindow()));
		this.state.prepare(errors.stream().map(Fact::id).toList());
		for (Fact error : errors) {
			if (this.state.isMember(error.id()) || this.state.isPinned(error.id())) {
				continue;
			}
			if (error.source().equals(root)) {
				join(incident, error, "root", List.of(), "dependency");
				continue;
			}
			Optional<DependencyRoots.Root> via = this.state.dependencyRoot(error.source());
			if (via.isPresent() && via.get().agent().equals(root)) {
				join(incident, error, "symptom", via.get().path(), "dependency");
			}
		}
	}

	/**
	 * Looks again at the root of every active incident its rules opened: when all its
	 * agents now lead to one failing dependency, that agent is its root, and if that
	 * agent has an incident already, this one is merged into it.
	 */
	void reroot() {
		Map<UUID, Set<String>> sources = this.members.activeSources();
		for (IncidentRow incident : this.store.active()) {
			if (incident.kind().equals("manual") || incident.kind().equals("dependency")
					|| !sources.containsKey(incident.id())) {
				continue;
			}
			Optional<DependencyRoots.Root> common = PlacementRules.commonRoot(sources.get(incident.id()), this.state);
			if (common.isEmpty() || common.get().agent().equals(incident.rootAgent())) {
				continue;
			}
			String root = common.get().agent();
			IncidentRow target = this.state.activeOfRoot(root).orElse(null);
			if (target != null && !target.id().equals(incident.id())) {
				List<UUID> moved = new Merger(this.store, this.members, this.now, this.events).merge(incident, target,
						"rebound", "its agents all depend on " + root + ", the root of this incident", false);
				moved.forEach((id) -> this.state.joined(id, target.id(), "symptom"));
				this.state.closedKey(incident.key());
				continue;
			}
			String title = root + " is failing; " + incident.title();
			this.store.setRoot(incident.id(), root, null, common.get().path(), title);
			for (IncidentMembers.Member member : this.members.members(incident.id())) {
				boolean isRoot = member.source().equals(root);
				List<String> path = isRoot ? List.of()
						: this.state.dependencyRoot(member.source()).map(DependencyRoots.Root::path).orElse(List.of());
				this.members.setRole(incident.id(), member.errorId(), isRoot ? "root" : "symptom", path);
			}
			this.store.timeline(incident.id(), "root_changed", "rebound",
					Map.of("from", String.valueOf(incident.rootAgent()), "to", root, "dependency_path",
							common.get().path(), "root_evidence", common.get().evidence()));
			this.state.rooted(root, incident);
			this.events.publishEvent(new IncidentUpdated(incident.id(), "root_changed", root, List.of(), this.now));
			gather(incident, root);
		}
	}

	/**
	 * Whether this round may have changed a root: errors joined incidents, or an error
	 * outside any incident made its agent look failing.
	 */
	boolean mayChangeRoots() {
		return !this.added.isEmpty() || this.failingMaybe;
	}

	/** Writes the counts and activity of every incident touched, and their events. */
	void finish() {
		List<UUID> ids = new ArrayList<>();
		List<String> severities = new ArrayList<>();
		List<Instant> times = new ArrayList<>();
		for (Map.Entry<UUID, Activity> touched : this.activity.entrySet()) {
			Activity latest = touched.getValue();
			if (this.added.containsKey(touched.getKey())) {
				// errors joined: recount
				this.store.refresh(touched.getKey(), latest.severity().wire(), latest.lastSeen());
			}
			else {
				ids.add(touched.getKey());
				severities.add(latest.severity().wire());
				times.add(latest.lastSeen());
			}
		}
		this.store.touch(ids, severities, times);
		for (Map.Entry<UUID, List<UUID>> entry : this.added.entrySet()) {
			if (!this.opened.contains(entry.getKey())) {
				this.store.timeline(entry.getKey(), "errors_added", "rebound",
						Map.of("error_ids", entry.getValue().stream().map(UUID::toString).toList()));
				this.events.publishEvent(
						new IncidentUpdated(entry.getKey(), "errors_added", null, entry.getValue(), this.now));
			}
		}
	}

}
