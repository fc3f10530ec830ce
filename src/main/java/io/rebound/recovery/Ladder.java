package io.rebound.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.rebound.agents.AgentOverview;
import io.rebound.correlation.Incidents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ladder, run by the recovery leader. Each due run takes one step in its own
 * transaction. An {@code act} step chooses the level's strategy by its record, stores the
 * attempt and moves the run to {@code acting} before any call is made; the calls are made
 * outside the transaction, and a second transaction stores what they answered and moves
 * the run to {@code verify}. A leader that dies in between leaves a run in
 * {@code acting}: its successor never repeats the action — it verifies whether it worked.
 * Verification and where a run goes next are {@link Verification}'s; what holds a run
 * back ({@link Guards}: inhibition, restart intensity, the global cap) is checked first,
 * and the kill switch stops every step. A run released from inhibition first watches
 * whether its target recovered with its dependency.
 */
@Component
class Ladder {

	private static final Logger log = LoggerFactory.getLogger(Ladder.class);

	/** The last level; past it, a person. */
	static final int PERSON = 5;

	private final RecoveryStore store;

	private final Attempts attempts;

	private final RecoveryRecords records;

	private final RecoveryLeadership leadership;

	private final List<Strategy> strategies;

	private final Map<String, Executor> executors;

	private final NotifyExecutor notifier;

	private final AgentOverview agents;

	private final Incidents incidents;

	private final Verification verification;

	private final Guards guards;

	private final RecoveryProperties properties;

	private final TransactionTemplate transaction;

	private final RecoveryMetrics metrics;

	Ladder(RecoveryStore store, Attempts attempts, RecoveryRecords records, RecoveryLeadership leadership,
			List<Strategy> strategies, List<Executor> executors, NotifyExecutor notifier, AgentOverview agents,
			Incidents incidents, Verification verification, Guards guards, RecoveryProperties properties,
			PlatformTransactionManager transactions, RecoveryMetrics metrics) {
		this.guards = guards;
		this.store = store;
		this.attempts = attempts;
		this.records = records;
		this.leadership = leadership;
		this.strategies = strategies;
		this.executors = executors.stream().collect(Collectors.toMap(Executor::kind, Function.identity()));
		this.notifier = notifier;
		this.agents = agents;
		this.incidents = incidents;
		this.verification = verification;
		this.properties = properties;
		this.transaction = new TransactionTemplate(transactions);
		this.metrics = metrics;
	}

	/**
	 * What a step leaves to do after its commit: calls to make for an attempt, or people
	 * to tell.
	 */
	private record Pending(RecoveryStore.Run run, UUID attempt, String strategy, List<Strategy.Action> actions,
			Duration timeout, NotifyExecutor.Notice notice) {

		static Pending tell(NotifyExecutor.Notice notice) {
			return new Pending(null, null, null, List.of(), null, notice);
		}

	}

	@Scheduled(fixedDelayString = "${rebound.recovery.interval:500ms}")
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
						carryOut(pending);
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
			this.store.end(run.id(), "cancelled", "the incident is over");
			return Optional.empty();
		}
		return switch (run.phase()) {
			case "verify" -> this.verification.verify(run, incident.get()).map(Pending::tell);
			case "acting" -> {
				// the leader that started the action stopped before it reported: never
				// repeat it, find out whether it worked
				this.store.next(run.id(), run.level(), run.levelAttempts(), "verify", this.properties.stabilization(),
						run.attemptId(), "the leader stopped during level " + run.level()
								+ "'s action; it is not repeated — verifying whether it worked");
				yield Optional.empty();
			}
			default -> act(run, incident.get());
		};
	}

	private Optional<Pending> act(RecoveryStore.Run run, Incidents.Incident incident) {
		Policy policy = this.properties.policy(run.policy());
		if (run.level() > PERSON || (run.level() == PERSON && !policy.allows(PERSON))) {
			return Optional.of(Pending.tell(this.verification.toPerson(run,
					"levels 1 to " + (run.level() - 1) + " did not recover " + run.target())));
		}
		if (!policy.allows(run.level())) {
			return this.verification
				.failed(run.withLastAttemptAtLevel(policy), run.attemptId(),
						"level " + run.level() + " is not allowed by policy '" + run.policy() + "'")
				.map(Pending::tell);
		}
		Optional<AgentOverview.Node> target = this.agents.node(run.target());
		if (target.isEmpty()) {
			return Optional.of(Pending.tell(this.verification.toPerson(run, run.target() + " is not registered")));
		}
		if (this.guards.inhibited(run, target.get()) || this.guards.throttled(run, policy)) {
			return Optional.empty();
		}
		if (run.inhibitedBy() != null) {
			this.store.watch(run.id(), this.properties.stabilization(),
					"the recovery of its dependency ended; watching whether " + run.target()
							+ " recovered with it before acting");
			return Optional.empty();
		}
		Strategy.Target context = context(target.get(), policy, incident.errorClass());
		Map<String, RecoveryRecords.Record> history = this.records.of(run.errorKind());
		List<Selection.Candidate> candidates = new ArrayList<>();
		List<String> cannot = new ArrayList<>();
		for (Strategy strategy : this.strategies) {
			if (strategy.level() == run.level()) {
				Strategy.Plan plan = strategy.plan(context);
				if (plan.possible()) {
					candidates.add(new Selection.Candidate(strategy, plan, history.get(strategy.name())));
				}
				else {
					cannot.add(strategy.name() + ": " + plan.cannot());
				}
			}
		}
		if (candidates.isEmpty()) {
			return this.verification
				.failed(run.withLastAttemptAtLevel(policy), run.attemptId(),
						"level " + run.level() + " could not be carried out (" + String.join("; ", cannot) + ")")
				.map(Pending::tell);
		}
		if (run.level() == PERSON && policy.approveLevelFive() && run.approvedBy() == null) {
			String reason = "level 5 (" + candidates.get(0).strategy().name() + ") waits for a person's approval "
					+ "(policy '" + run.policy() + "'): POST /api/recovery/runs/" + run.id() + "/approve";
			this.store.end(run.id(), "waiting_approval", reason);
			return Optional.of(Pending.tell(new NotifyExecutor.Notice(run.id(), run.incidentId(), run.target(),
					run.level(), "waiting_approval", reason, policy)));
		}
		List<Selection.Ranked> ranking = Selection.rank(candidates, this.properties.exploration());
		// the strategy the rule recommends, when it can act at this level; else the best
		String pick = candidates.stream()
			.map((c) -> c.strategy().name())
			.filter((name) -> name.equals(run.recommended()))
			.findFirst()
			.orElse(ranking.get(0).strategy());
		Selection.Candidate chosen = candidates.stream()
			.filter((c) -> c.strategy().name().equals(pick))
			.findFirst()
			.orElseThrow();
		Duration timeout = this.records.timeout(chosen.record());
		Map<String, Object> choice = new LinkedHashMap<>();
		choice.put("error_kind", run.errorKind());
		choice.put("ranking", ranking);
		if (pick.equals(run.recommended())) {
			choice.put("recommended_by_rule", pick);
		}
		if (!cannot.isEmpty()) {
			choice.put("could_not", cannot);
		}
		String executor = chosen.plan()
			.actions()
			.stream()
			.map(Strategy.Action::executor)
			.distinct()
			.collect(Collectors.collectingAndThen(Collectors.joining(","), (e) -> e.isEmpty() ? "none" : e));
		UUID attempt = this.attempts.start(run, chosen.strategy().name(), executor, timeout, choice);
		if (run.attemptId() == null) {
			this.incidents.mitigating(run.incidentId(), "recovery");
		}
		Duration deadline = timeout.multipliedBy(chosen.plan().actions().size()).plusSeconds(5);
		this.store.acting(run.id(), attempt, deadline, "level " + run.level() + " (" + chosen.strategy().name()
				+ ") is being carried out: " + chosen.plan().actions().size() + " call(s) via " + executor);
		return Optional.of(new Pending(run, attempt, chosen.strategy().name(), chosen.plan().actions(), timeout, null));
	}

	private Strategy.Target context(AgentOverview.Node target, Policy policy, String errorClass) {
		List<AgentOverview.Node> dependencies = new ArrayList<>();
		target.dependsOn().forEach((d) -> this.agents.node(d).ifPresent(dependencies::add));
		dependencies.sort(Comparator.comparing(AgentOverview.Node::id));
		List<AgentOverview.Node> group = (target.group() != null) ? this.agents.group(target.group()) : List.of();
		return new Strategy.Target(target, dependencies, group, policy, this.properties::policy, errorClass);
	}

	private void carryOut(Pending pending) {
		if (pending.notice() != null) {
			this.notifier.send(pending.notice());
			return;
		}
		RecoveryStore.Run run = pending.run();
		Executor.Context context = new Executor.Context(run.incidentId(), run.level(), pending.strategy());
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
