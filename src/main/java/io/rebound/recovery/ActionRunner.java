package io.rebound.recovery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries out what a ladder step left after its commit, outside any transaction: the
 * calls of an attempt through their executors — then, in a transaction of its own and
 * only if the run still waits for them under this leader, stores what they answered,
 * their durations (for the adaptive timeouts) and moves the run to {@code verify}, or
 * judges the attempt {@code action_failed} — or the people a run needs.
 */
@Component
class ActionRunner {

	private final RecoveryStore store;

	private final Attempts attempts;

	private final RecoveryRecords records;

	private final RecoveryLeadership leadership;

	private final Map<String, Executor> executors;

	private final NotifyExecutor notifier;

	private final Verification verification;

	private final RecoveryProperties properties;

	private final RecoveryMetrics metrics;

	private final TransactionTemplate transaction;

	ActionRunner(RecoveryStore store, Attempts attempts, RecoveryRecords records, RecoveryLeadership leadership,
			List<Executor> executors, NotifyExecutor notifier, Verification verification, RecoveryProperties properties,
			RecoveryMetrics metrics, PlatformTransactionManager transactions) {
		this.store = store;
		this.attempts = attempts;
		this.records = records;
		this.leadership = leadership;
		this.executors = executors.stream().collect(Collectors.toMap(Executor::kind, Function.identity()));
		this.notifier = notifier;
		this.verification = verification;
		this.properties = properties;
		this.metrics = metrics;
		this.transaction = new TransactionTemplate(transactions);
	}

	void carryOut(Pending pending) {
		if (pending.notice() != null) {
			this.notifier.send(pending.notice());
			return;
		}
		RecoveryStore.Run run = pending.run();
		Executor.Context context = new Executor.Context(run.id(), pending.attempt(), run.incidentId(), run.level(),
				pending.strategy());
		List<String> calls = new ArrayList<>();
		boolean accepted = true;
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
		}
		long tookMs = (System.nanoTime() - started) / 1_000_000;
		Instant answered = Instant.now();
		boolean ok = accepted;
		Optional<NotifyExecutor.Notice> notice = this.transaction.execute((status) -> {
			Optional<RecoveryStore.Run> locked = this.store.lockActing(run.id(), pending.attempt());
			if (locked.isEmpty() || !this.leadership.stillLeading()) {
				return Optional.<NotifyExecutor.Notice>empty();
			}
			durations.forEach((ms) -> this.records.timed(run.errorKind(), pending.strategy(), run.level(), ms));
			Map<String, Object> evidence = new LinkedHashMap<>();
			evidence.put("calls", calls);
			evidence.put("took_ms", tookMs);
			evidence.put("answered_at", answered.toString());
			this.attempts.called(pending.attempt(), tookMs, evidence);
			if (!ok) {
				evidence.put("why", "an action was not carried out");
				this.attempts.judge(pending.attempt(), "action_failed", evidence);
				this.records.judged(run.errorKind(), pending.strategy(), run.level(), false, 0, 0, calls.size());
				this.metrics.attempt(run.level(), pending.strategy(), "action_failed").increment();
				return this.verification.failed(locked.get(), pending.attempt(),
						"level " + run.level() + " (" + pending.strategy() + ") could not be carried out");
			}
			this.store.next(run.id(), run.level(), run.levelAttempts(), "verify", this.properties.stabilization(),
					pending.attempt(), "level " + run.level() + " (" + pending.strategy() + ") done; verifying after "
							+ this.properties.stabilization());
			return Optional.<NotifyExecutor.Notice>empty();
		});
		if (notice != null) {
			notice.ifPresent(this.notifier::send);
		}
	}

}
