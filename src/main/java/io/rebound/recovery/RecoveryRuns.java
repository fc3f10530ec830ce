package io.rebound.recovery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rebound.agents.AgentOverview;

import io.rebound.correlation.IncidentOpened;
import io.rebound.correlation.IncidentResolved;
import io.rebound.correlation.Incidents;
import io.rebound.errors.ErrorFacts;

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

	private final NotifyExecutor notifier;

	private final RecoveryMetrics metrics;

	RecoveryRuns(RecoveryStore store, Attempts attempts, Incidents incidents, RecoveryLeadership leadership,
			RecoveryRecords records, AgentOverview agents, ErrorFacts facts, RecoveryProperties properties,
			List<Strategy> strategies, NotifyExecutor notifier, RecoveryMetrics metrics) {
		this.strategies = strategies;
		this.notifier = notifier;
		this.metrics = metrics;
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
		this.store.cancel(resolved.incidentId(),
				"the incident was " + resolved.status().wire() + " by " + resolved.by());
	}

	private void start(UUID incident, String root, String cause, String errorClass, String recovery) {
		if (this.store.forIncident(incident).isPresent()) {
			return;
		}
		boolean person = "human".equals(recovery) || "fatal".equals(errorClass);
		int level = 1;
		String recommended = null;
		if (recovery != null && recovery.startsWith("level:")) {
			level = Math.max(1, Math.min(Ladder.PERSON, Integer.parseInt(recovery.substring(6))));
		}
		else if (recovery != null && recovery.startsWith("strategy:")) {
			String name = recovery.substring(9);
			Optional<Strategy> strategy = this.strategies.stream().filter((s) -> s.name().equals(name)).findFirst();
			if (strategy.isPresent()) {
				recommended = name;
				level = strategy.get().level();
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
		if (this.store.start(incident, root, level, person, reason, errorKind, policy, recommended)) {
			if (person) {
				// handed to a person from the start: counted and told like a run that
				// climbed
				// there (webhooks are called off this thread: the correlator does not
				// wait)
				this.metrics.toPerson();
				this.store.forIncident(incident)
					.ifPresent((run) -> Thread.ofVirtual()
						.name("rebound-notify")
						.start(() -> this.notifier.send(new NotifyExecutor.Notice(run.id(), incident, root, run.level(),
								"waiting_person", reason, this.properties.policy(policy)))));
			}
			// the strategy that last recovered this agent from this kind of error did not
			// hold
			this.attempts.lastSuccess(root, errorKind, Instant.now().minus(this.properties.relapseWindow()))
				.ifPresent((strategy) -> this.records.relapse(errorKind, strategy));
		}
	}

}
