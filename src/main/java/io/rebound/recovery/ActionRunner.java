package io.rebound.recovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.rebound.agents.AgentGraph;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries out what a ladder step left after its commit, outside any transaction: the
 * calls of an attempt through their executors — then, in a transaction of its own and
 * only if the run still waits for them under this leader, stores what they answered,
 * their durations (for the adaptive timeouts) and moves the run to {@code verify}, or
 * judges the attempt {@code action_failed}. A basic verb the agent answered with
 * {@code 409} (not applicable there) is noted on the agent, so that it is not planned for
 * it again, and an attempt that failed only so is not counted against its strategy.
 */
@Component
class ActionRunner {

	private final RecoveryStore store;

	private final Attempts attempts;

	private final RecoveryRecords records;

	private final RecoveryLeadership leadership;

	private final Map<String, Executor> executors;

	private final RunOutcomes outcomes;

	private final RecoveryProperties properties;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final AgentGraph agents;

	private final Stabilization stabilization;

	ActionRunner(RecoveryStore store, Attempts attempts, RecoveryRecords records, RecoveryLeadership leadership,
			List<Executor> executors, RunOutcomes outcomes, RecoveryProperties properties,
			ApplicationEventPublisher events, PlatformTransactionManager transactions, AgentGraph agents,
			Stabilization stabilization) {
		this.agents = agents;
		this.stabilization = stabilization;
		this.store = store;
		this.attempts = attempts;
		this.records = records;
		this.leadership = leadership;
		this.executors = executors.stream().collect(Collectors.toMap(Executor::kind, Function.identity()));
		this.outcomes = outcomes;
		this.properties = properties;
		this.events = events;
		this.transaction = new TransactionTemplate(transactions);
	}

	void carryOut(Pending pending) {
		RecoveryStore.Run run = pending.run();
		Executor.Context context = new Executor.Context(run.id(), pending.attempt(), run.incidentId(), run.level(),
				pending.strategy());
		List<String> calls = new ArrayList<>();
		List<Strategy.Action> refused = new ArrayList<>();
		boolean accepted = true;
		boolean failedOtherwise = false;
		long started = System.nanoTime();
		List<Long> durations = new ArrayList<>();
		for (Strategy.Action action : pending.actions()) {
			long call = System.nanoTime();
			Executor executor = this.executors.get(action.executor());
			Executor.Outcome outcome = (executor != null) ? executor.execute(action, context, pending.timeout())
					: new Executor.Outcome(false, "no executor '" + action.executor() + "'");
			durations.add((System.nanoTime() - call) / 1_000_000);
			calls.add(outcome.detail());
			accepted &= outcome.accepted();
			if (outcome.notApplicable() && action.agent() != null) {
				refused.add(action);
			}
			else if (!outcome.accepted()) {
				failedOtherwise = true;
			}
		}
		long tookMs = (System.nanoTime() - started) / 1_000_000;
		Instant answered = Instant.now();
		boolean ok = accepted;
		boolean onlyRefused = !refused.isEmpty() && !failedOtherwise;
		this.transaction.executeWithoutResult((status) -> {
			Optional<RecoveryStore.Run> locked = this.store.lockActing(run.id(), pending.attempt());
			if (locked.isEmpty() || !this.leadership.stillLeading()) {
				return;
			}
			durations.forEach((ms) -> this.records.timed(run.errorKind(), pending.strategy(), run.level(), ms));
			Map<String, Object> evidence = new LinkedHashMap<>();
			evidence.put("calls", calls);
			evidence.put("took_ms", tookMs);
			evidence.put("answered_at", answered.toString());
			this.attempts.called(pending.attempt(), tookMs, evidence);
			refused.forEach((action) -> this.agents.refused(action.agent(), action.verb()));
			if (!ok) {
				evidence.put("why", onlyRefused ? "the agent answered that " + verbs(refused)
						+ " does not apply there (409): not counted against the strategy; a basic verb is not planned for it again until it registers again"
						: "an action was not carried out");
				this.attempts.judge(pending.attempt(), "action_failed", evidence);
				if (!onlyRefused) {
					this.records.judged(run.errorKind(), pending.strategy(), run.level(), false, 0, 0, calls.size());
				}
				this.events
					.publishEvent(new RecoveryEvent.RecoveryAttemptJudged(run.id(), run.incidentId(), run.target(),
							run.level(), pending.attempt(), pending.strategy(), "action_failed", Instant.now()));
				this.outcomes.failed(locked.get(), pending.attempt(),
						"level " + run.level() + " (" + pending.strategy() + ") could not be carried out");
				return;
			}
			pending.actions()
				.stream()
				.filter((action) -> action.verb().equals("restart") && action.agent() != null)
				.forEach((action) -> this.agents.expectRestart(action.agent(), this.properties.restartGrace(),
						this.properties.inFlight()));
			Stabilization.Window window = this.stabilization.of(run);
			this.store.next(run.id(), run.level(), run.levelAttempts(), Phase.VERIFY, window.window(),
					pending.attempt(),
					"level " + run.level() + " (" + pending.strategy() + ") done; verifying after " + window);
		});
	}

	private static String verbs(List<Strategy.Action> actions) {
		return actions.stream().map((a) -> "'" + a.verb() + "'").distinct().collect(Collectors.joining(", "));
	}

}
