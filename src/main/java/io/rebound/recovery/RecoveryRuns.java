package io.rebound.recovery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rebound.agents.AgentGraph;

import io.rebound.correlation.IncidentOpened;
import io.rebound.correlation.IncidentResolved;
import io.rebound.correlation.RecoveryDirective;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Starts a recovery run for every new incident with a root agent — at level 1, or at the
 * level its rule recommends; incidents whose rule says {@code human}, or whose errors are
 * {@code fatal} (security failures among them), wait for a person from the start — and
 * cancels the run of an incident that ended otherwise. Both listen after the incident's
 * commit, each in a transaction of its own, through the event publication registry: an
 * event whose listener did not complete is delivered again, and starting is idempotent.
 */
@Component
class RecoveryRuns {

	private final RecoveryStore store;

	private final Attempts attempts;

	private final RecoveryRecords records;

	private final AgentGraph agents;

	private final RecoveryProperties properties;

	private final Chooser chooser;

	private final List<Strategy> strategies;

	private final ApplicationEventPublisher events;

	RecoveryRuns(RecoveryStore store, Attempts attempts, RecoveryRecords records, AgentGraph agents,
			RecoveryProperties properties, List<Strategy> strategies, ApplicationEventPublisher events,
			Chooser chooser) {
		this.chooser = chooser;
		this.strategies = strategies;
		this.events = events;
		this.store = store;
		this.attempts = attempts;
		this.records = records;
		this.agents = agents;
		this.properties = properties;
	}

	@ApplicationModuleListener
	void on(IncidentOpened opened) {
		if (opened.rootAgent() != null) {
			start(opened.incidentId(), opened.rootAgent(), opened.cause(), opened.errorClass(), opened.recovery(),
					opened.category());
		}
	}

	@ApplicationModuleListener
	void on(IncidentResolved resolved) {
		String reason = "the incident was " + resolved.status().wire() + " by " + resolved.by();
		this.store.cancel(resolved.incidentId(), reason)
			.ifPresent((run) -> this.events.publishEvent(new RecoveryEvent.RecoveryCancelled(run.id(), run.incidentId(),
					run.target(), run.level(), reason, Instant.now())));
	}

	private void start(UUID incident, String root, String cause, String errorClass, RecoveryDirective recovery,
			String category) {
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
		Optional<AgentGraph.Node> agent = this.agents.node(root);
		String policy = agent.map(AgentGraph.Node::policy).orElse("default");
		String symptom = null;
		if (!person && recommended == null && agent.isPresent()) {
			// choice by symptom, before the records: what the agent's newest heartbeat
			// shows picks the first strategy it names that can act on the agent, at or
			// above the rule's level
			Policy tier = this.properties.policy(policy);
			Optional<Map.Entry<String, String>> chosen = tier.symptoms()
				.choose(agent.get().signals(), agent.get().versionChangedAt(), Instant.now());
			int from = level;
			Optional<Strategy> strategy = chosen.flatMap((c) -> java.util.Arrays.stream(c.getKey().split(","))
				.map(String::trim)
				.flatMap((name) -> this.strategies.stream().filter((s) -> s.name().equals(name)))
				.filter((s) -> s.level() >= from && tier.allows(s.level())
						&& this.chooser.canAct(s, agent.get(), tier, errorClass))
				.findFirst());
			if (strategy.isPresent()) {
				recommended = strategy.get().name();
				symptom = chosen.get().getValue();
				level = strategy.get().level();
			}
		}
		String errorKind = ((cause != null) ? cause : "none") + "|" + ((category != null) ? category : "") + "|"
				+ agent.map(AgentGraph.Node::kind).orElse("");
		String reason = person
				? "the cause (" + cause + ") is not for automatic recovery: a person must act"
						+ " (or approve automatic recovery: POST /api/recovery/runs/{id}/approve)"
				: (symptom != null)
						? "starts with " + recommended + " (level " + level + "), chosen by symptom: " + symptom
						: (recommended != null)
								? "starts with " + recommended + " (level " + level + "), as its rule recommends"
								: "starts at level " + level + ((level > 1) ? ", as its rule recommends" : "");
		Optional<UUID> started = this.store.start(incident, root, level,
				person ? RunStatus.WAITING_PERSON : RunStatus.RUNNING, reason, errorKind, policy, recommended,
				(symptom != null) ? "symptom: " + symptom : null);
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
