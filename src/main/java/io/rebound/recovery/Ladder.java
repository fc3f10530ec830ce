package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import io.rebound.agents.AgentGraph;
import io.rebound.correlation.Incidents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ladder, run by the recovery leader. Each due run takes one step in its own
 * transaction. An {@code act} step has {@link Chooser} choose the level's strategy,
 * stores the attempt and moves the run to {@code acting} before any call is made; the
 * calls are made outside the transaction by {@link ActionRunner}, whose own transaction
 * stores what they answered and moves the run to {@code verify}. A leader that dies in
 * between leaves a run in {@code acting}: its successor never repeats the action — it
 * verifies whether it worked. Verification and where a run goes next are
 * {@link Verification}'s; what holds a run back ({@link Guards}: inhibition, restart
 * intensity, the global cap) is checked first, and the kill switch stops every step. A
 * run released from inhibition first watches whether its target recovered with its
 * dependency.
 */
@Component
class Ladder {

	private static final Logger log = LoggerFactory.getLogger(Ladder.class);

	/** The last level; past it, a person. */
	static final int PERSON = 5;

	private final RecoveryStore store;

	private final Attempts attempts;

	private final RecoveryLeadership leadership;

	private final Chooser chooser;

	private final Guards guards;

	private final ActionRunner runner;

	private final AgentGraph agents;

	private final Incidents incidents;

	private final Verification verification;

	private final RunOutcomes outcomes;

	private final RecoveryProperties properties;

	private final TransactionTemplate transaction;

	private final ApplicationEventPublisher events;

	private final Stabilization stabilization;

	Ladder(RecoveryStore store, Attempts attempts, RecoveryLeadership leadership, Chooser chooser, Guards guards,
			ActionRunner runner, AgentGraph agents, Incidents incidents, Verification verification,
			RunOutcomes outcomes, RecoveryProperties properties, PlatformTransactionManager transactions,
			ApplicationEventPublisher events, Stabilization stabilization) {
		this.stabilization = stabilization;
		this.store = store;
		this.attempts = attempts;
		this.leadership = leadership;
		this.chooser = chooser;
		this.guards = guards;
		this.runner = runner;
		this.agents = agents;
		this.incidents = incidents;
		this.verification = verification;
		this.outcomes = outcomes;
		this.properties = properties;
		this.transaction = new TransactionTemplate(transactions);
		this.events = events;
	}

	@Scheduled(fixedDelayString = RecoveryProperties.BEAN + ".interval().toMillis()}")
	void tick() {
		if (!this.leadership.leading() || this.store.paused()) {
			return;
		}
		// steps one after another, so each sees the last one's actions (the global cap);
		// their calls side by side, so one slow agent does not hold the others up
		List<Pending> pendings = new ArrayList<>();
		for (UUID run : this.store.due(20)) {
			try {
				Optional<Pending> pending = this.transaction
					.execute((status) -> this.store.lockDue(run).flatMap(this::step));
				if (pending != null) {
					pending.ifPresent(pendings::add);
				}
			}
			catch (RuntimeException ex) {
				log.warn("Recovery step of run {} failed; it is tried again: {}", run, ex.toString());
			}
		}
		try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
			for (Pending pending : pendings) {
				calls.execute(() -> {
					try {
						this.runner.carryOut(pending);
					}
					catch (RuntimeException ex) {
						log.warn("Carrying out a recovery step failed; the run verifies whether it worked: {}",
								ex.toString());
					}
				});
			}
		}
	}

	private Optional<Pending> step(RecoveryStore.Run run) {
		if (!this.leadership.stillLeading()) {
			return Optional.empty();
		}
		Optional<Incidents.Incident> incident = this.incidents.find(run.incidentId());
		if (incident.isEmpty() || !incident.get().status().active()) {
			String reason = "the incident is over";
			this.store.end(run.id(), RunStatus.CANCELLED, reason);
			this.events.publishEvent(new RecoveryEvent.RecoveryCancelled(run.id(), run.incidentId(), run.target(),
					run.level(), reason, Instant.now()));
			return Optional.empty();
		}
		return switch (run.phase()) {
			case VERIFY -> {
				this.verification.verify(run, incident.get());
				yield Optional.empty();
			}
			case ACTING -> {
				// the leader that started the action stopped before it reported: never
				// repeat it, find out whether it worked
				this.store.next(run.id(), run.level(), run.levelAttempts(), Phase.VERIFY,
						this.stabilization.of(run).window(), run.attemptId(), "the leader stopped during level "
								+ run.level() + "'s action; it is not repeated — verifying whether it worked");
				yield Optional.empty();
			}
			case ACT -> act(run, incident.get());
		};
	}

	private Optional<Pending> act(RecoveryStore.Run run, Incidents.Incident incident) {
		Policy policy = this.properties.policy(run.policy());
		if (run.level() > PERSON || (run.level() == PERSON && !policy.allows(PERSON))) {
			this.outcomes.toPerson(run, "levels 1 to " + (run.level() - 1) + " did not recover " + run.target());
			return Optional.empty();
		}
		if (!policy.allows(run.level())) {
			this.outcomes.failed(run.withLastAttemptAtLevel(policy), run.attemptId(),
					"level " + run.level() + " is not allowed by policy '" + run.policy() + "'");
			return Optional.empty();
		}
		Optional<AgentGraph.Node> target = this.agents.node(run.target());
		if (target.isEmpty()) {
			this.outcomes.toPerson(run, run.target() + " is not registered");
			return Optional.empty();
		}
		if (this.guards.inhibited(run, target.get())) {
			return Optional.empty();
		}
		if (run.inhibitedBy() != null) {
			this.store.watch(run.id(), this.stabilization.of(run).window(),
					"the recovery of its dependency ended; watching whether " + run.target()
							+ " recovered with it before acting");
			return Optional.empty();
		}
		Chooser.Choice choice = this.chooser.choose(run, target.get(), policy, incident.errorClass());
		if (choice.chosen() == null) {
			this.outcomes.failed(run.withLastAttemptAtLevel(policy), run.attemptId(),
					"level " + run.level() + " could not be carried out (" + String.join("; ", choice.cannot()) + ")");
			return Optional.empty();
		}
		Selection.Candidate chosen = choice.chosen();
		List<String> actedOn = chosen.plan().actions().stream().map(Strategy.Action::agent).distinct().toList();
		if (this.guards.throttled(run, policy, actedOn.isEmpty() ? List.of(run.target()) : actedOn)) {
			return Optional.empty();
		}
		if (run.level() == PERSON && policy.approveLevelFive() && run.approvedBy() == null) {
			String reason = "level 5 (" + chosen.strategy().name() + ") waits for a person's approval " + "(policy '"
					+ run.policy() + "'): POST /api/recovery/runs/" + run.id() + "/approve";
			this.store.end(run.id(), RunStatus.WAITING_APPROVAL, reason);
			this.events.publishEvent(new RecoveryEvent.RecoveryAwaitingApproval(run.id(), run.incidentId(),
					run.target(), run.level(), run.policy(), reason, Instant.now()));
			return Optional.empty();
		}
		Duration timeout = choice.timeout();
		String executor = chosen.plan()
			.actions()
			.stream()
			.map(Strategy.Action::executor)
			.distinct()
			.collect(Collectors.collectingAndThen(Collectors.joining(","), (e) -> e.isEmpty() ? "none" : e));
		UUID attempt = this.attempts.start(run, chosen.strategy().name(), executor, timeout, choice.explanation(),
				actedOn);
		if (run.attemptId() == null) {
			this.incidents.mitigating(run.incidentId(), "recovery");
		}
		Duration deadline = timeout.multipliedBy(chosen.plan().actions().size()).plusSeconds(5);
		this.store.acting(run.id(), attempt, deadline, "level " + run.level() + " (" + chosen.strategy().name()
				+ ") is being carried out: " + chosen.plan().actions().size() + " call(s) via " + executor);
		return Optional.of(new Pending(run, attempt, chosen.strategy().name(), chosen.plan().actions(), timeout));
	}

}
