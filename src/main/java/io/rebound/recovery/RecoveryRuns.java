package io.rebound.recovery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rebound.agents.AgentOverview;

import io.rebound.correlation.IncidentOpened;
import io.rebound.correlation.IncidentResolved;
import io.rebound.correlation.Incidents;
import io.rebound.correlation.RecoveryDirective;
import io.rebound.errors.ErrorFacts;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Starts a recovery run for every new incident with a root agent — at level 1, or at the
 * level its rule recommends; incidents whose rule says {@code human}, or whose errors are
 * {@code fatal} (security failures among them), wait for a person from the start — and
 * cancels the run of an incident that ended otherwise.
 */
@Component
class RecoveryRuns {

	private final RecoveryStore store;

	private final Attempts attempts;

	private final Incidents incidents;

	private final RecoveryLeadership leadership;

	private final RecoveryRecords records;

	private final AgentOverview agents;

	private final ErrorFacts facts;

	private final RecoveryProperties properties;

	private final List<Strategy> strategies;

	private final ApplicationEventPublisher events;

	RecoveryRuns(RecoveryStore store, Attempts attempts, Incidents incidents, RecoveryLeadership leadership,
			RecoveryRecords records, AgentOverview agents, ErrorFacts facts, RecoveryProperties properties,
			List<Strategy> strategies, ApplicationEventPublisher events) {
		this.strategies = strategies;
		this.events = events;
		this.store = store;
		this.attempts = attempts;
		this.incidents = incidents;
		this.leadership = leadership;
		this.records = records;
		this.agents = agents;
		this.facts = facts;
		this.properties = properties;
	}

	@EventListener
	void on(IncidentOpened opened) {
		if (opened.rootAgent() != null) {
			start(opened.incidentId(), opened.rootAgent(), opened.cause(), opened.errorClass(), opened.recovery());
		}
	}

	/**
	 * The event that starts a run is published after the incident's commit; an instance
	 * that died in between would lose the run. The leader therefore also starts runs for
	 * active incidents that have none (starting is idempotent).
	 */
	@Scheduled(fixedDelayString = "${rebound.recovery.sweep:10s}")
	void sweep() {
		if (this.leadership.leading()) {
			for (Incidents.Rooted incident : this.incidents.activeWithRoot()) {
				start(incident.id(), incident.rootAgent(), incident.cause(), incident.errorClass(),
						incident.recovery());
			}
		}
	}

	@EventListener
	void on(IncidentResolved resolved) {
		String reason = "the incident was " + resolved.status().wire() + " by " + resolved.by();
		this.store.cancel(resolved.incidentId(), reason)
			.ifPresent((run) -> this.events.publishEvent(new RecoveryEvent.RecoveryCancelled(run.id(), run.incidentId(),
					run.target(), run.level(), reason, Instant.now())));
	}

	private void start(UUID incident, String root, String cause, String errorClass, RecoveryDirective recovery) {
		if (this.store.forIncident(incident).isPresent()) {
			return;
		}
		boolean person = recovery instanceof RecoveryDirective.Person || "fatal".equals(errorClass);
		int level = 1;
		String recommended = null;
		switch (recovery) {
			case RecoveryDirective.Level at -> level = at.level();
			case RecoveryDirective.UseStrategy use -> {
				Optional<Strategy> strategy = this.strategies.stream()
					.filter((s) -> s.name().equals(use.strategy()))
					.findFirst();
				if (strategy.isPresent()) {
					recommended = use.strategy();
					level = strategy.get().level();
				}
			}
			case RecoveryDirective.Person p -> {
			}
			case null -> {
			}
		}
		Optional<AgentOverview.Node> agent = this.agents.node(root);
		String category = this.incidents.find(incident)
			.map((i) -> this.facts.byIds(i.errorIds())
				.stream()
				.filter((e) -> e.source().equals(root))
				.map((e) -> e.category().wire())
				.findFirst()
				.orElse(""))
			.orElse("");
		String errorKind = ((cause != null) ? cause : "none") + "|" + category + "|"
				+ agent.map(AgentOverview.Node::kind).orElse("");
		String policy = agent.map(AgentOverview.Node::policy).orElse("default");
		String reason = person
				? "the cause (" + cause + ") is not for automatic recovery: a person must act"
						+ " (or approve automatic recovery: POST /api/recovery/runs/{id}/approve)"
				: (recommended != null)
						? "starts with " + recommended + " (level " + level + "), as its rule recommends"
						: "starts at level " + level + ((level > 1) ? ", as its rule recommends" : "");
		Optional<UUID> started = this.store.start(incident, root, level,
				person ? RunStatus.WAITING_PERSON : RunStatus.RUNNING, reason, errorKind, policy, recommended);
		if (started.isPresent()) {
			Instant now = Instant.now();
			this.events.publishEvent(
					new RecoveryEvent.RecoveryStarted(started.get(), incident, root, level, policy, reason, now));
			if (person) {
				// handed to a person from the start: counted and told like a run that
				// climbed there
				this.events.publishEvent(new RecoveryEvent.RecoveryHandedToPerson(started.get(), incident, root, level,
						policy, reason, now));
			}
			// the strategy that last recovered this agent from this kind of error did not
			// hold
			this.attempts.lastSuccess(root, errorKind, Instant.now().minus(this.properties.relapseWindow()))
				.ifPresent((strategy) -> this.records.relapse(errorKind, strategy));
		}
	}

}
