package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rebound.agents.AgentOverview;
import io.rebound.agents.HealthState;
import io.rebound.correlation.Incidents;
import io.rebound.errors.ErrorFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ladder, run by the recovery leader: each due run takes one step in its own
 * transaction. An {@code act} step carries out its level's strategy and waits for the
 * stabilization window; a {@code verify} step checks that the target is {@code healthy}
 * and that the incident's errors stayed quiet since the action — an executor's 2xx alone
 * is never success. Success resolves the incident; failure climbs one level after a
 * cooldown that doubles with each level; past level 4 a person is needed and the run
 * waits for them. Every step is stored before the next is due, so a new leader continues
 * where the old one stopped.
 */
@Component
class Ladder {

	private static final Logger log = LoggerFactory.getLogger(Ladder.class);

	/** Levels Rebound carries out itself; level 5 is a person. */
	static final int PERSON = 5;

	private final RecoveryStore store;

	private final RecoveryLeadership leadership;

	private final List<Strategy> strategies;

	private final HttpExecutor executor;

	private final AgentOverview agents;

	private final Incidents incidents;

	private final ErrorFacts facts;

	private final RecoveryProperties properties;

	private final TransactionTemplate transaction;

	private final RecoveryMetrics metrics;

	Ladder(RecoveryStore store, RecoveryLeadership leadership, List<Strategy> strategies, HttpExecutor executor,
			AgentOverview agents, Incidents incidents, ErrorFacts facts, RecoveryProperties properties,
			PlatformTransactionManager transactions, RecoveryMetrics metrics) {
		this.metrics = metrics;
		this.store = store;
		this.leadership = leadership;
		this.strategies = strategies;
		this.executor = executor;
		this.agents = agents;
		this.incidents = incidents;
		this.facts = facts;
		this.properties = properties;
		this.transaction = new TransactionTemplate(transactions);
	}

	@Scheduled(fixedDelayString = "${rebound.recovery.interval:500ms}")
	void tick() {
		if (!this.leadership.leading() || this.store.paused()) {
			return;
		}
		for (UUID run : this.store.due(20)) {
			try {
				this.transaction.executeWithoutResult((status) -> this.store.lockDue(run).ifPresent(this::step));
			}
			catch (RuntimeException ex) {
				log.warn("Recovery step of run {} failed; it is tried again: {}", run, ex.toString());
			}
		}
	}

	private void step(RecoveryStore.Run run) {
		if (!this.leadership.stillLeading()) {
			return;
		}
		Optional<Incidents.Incident> incident = this.incidents.find(run.incidentId());
		if (incident.isEmpty() || !incident.get().status().active()) {
			this.store.end(run.id(), "cancelled", "the incident is over");
			return;
		}
		if (run.phase().equals("verify")) {
			verify(run, incident.get());
		}
		else {
			act(run);
		}
	}

	private void act(RecoveryStore.Run run) {
		if (run.level() >= PERSON) {
			this.store.end(run.id(), "waiting_person", "levels 1 to 4 did not recover " + run.target()
					+ "; a person must act (reset the run, or resolve the incident)");
			this.metrics.toPerson();
			return;
		}
		if (run.level() >= 3) {
			int recent = this.store.heavyActionsSince(run.target(),
					Instant.now().minus(this.properties.restartWindow()));
			if (recent >= this.properties.maxRestarts()) {
				// never a storm: Erlang/OTP's intensity, per agent
				this.store.throttle(run.id(), this.properties.cooldownBefore(run.level()),
						"throttled: " + recent + " actions of level 3 or more on " + run.target() + " within "
								+ this.properties.restartWindow() + " (at most " + this.properties.maxRestarts() + ")");
				this.metrics.throttled();
				return;
			}
		}
		Optional<Strategy> strategy = this.strategies.stream()
			.filter((s) -> s.level() == run.level())
			.min(Comparator.comparing(Strategy::name));
		Optional<AgentOverview.Node> target = this.agents.node(run.target());
		if (strategy.isEmpty() || target.isEmpty()) {
			climb(run, null, "no strategy or no target at level " + run.level());
			return;
		}
		List<AgentOverview.Node> dependencies = new ArrayList<>();
		target.get().dependsOn().forEach((d) -> this.agents.node(d).ifPresent(dependencies::add));
		List<Strategy.Action> actions = strategy.get().plan(target.get(), dependencies);
		UUID attempt = this.store.attempt(run, strategy.get().name(), "http");
		if (run.level() == 1 || run.attemptId() == null) {
			this.incidents.mitigating(run.incidentId(), "recovery");
		}
		Map<String, Object> evidence = new LinkedHashMap<>();
		List<String> calls = new ArrayList<>();
		boolean accepted = !actions.isEmpty();
		for (Strategy.Action action : actions) {
			HttpExecutor.Outcome outcome = this.executor.execute(action, run.incidentId(), run.level(),
					strategy.get().name());
			calls.add(outcome.detail());
			accepted &= outcome.accepted();
		}
		evidence.put("calls", calls);
		if (!accepted) {
			evidence.put("why", actions.isEmpty() ? "nothing to call: no control endpoint registered"
					: "an action was not accepted");
			this.store.judge(attempt, "action_failed", evidence);
			this.metrics.attempt(run.level(), strategy.get().name(), "action_failed").increment();
			climb(run, attempt, "level " + run.level() + " (" + strategy.get().name() + ") could not be carried out");
			return;
		}
		this.store.next(run.id(), run.level(), "verify", this.properties.stabilization(), attempt,
				"level " + run.level() + " (" + strategy.get().name() + ") done; verifying after "
						+ this.properties.stabilization());
	}

	private void verify(RecoveryStore.Run run, Incidents.Incident incident) {
		RecoveryStore.Attempt attempt = this.store.attemptById(run.attemptId()).orElseThrow();
		HealthState state = this.agents.node(run.target()).map(AgentOverview.Node::state).orElse(HealthState.UNKNOWN);
		Instant lastError = this.facts.byIds(incident.errorIds())
			.stream()
			.map(ErrorFacts.Fact::lastSeen)
			.max(Comparator.naturalOrder())
			.orElse(Instant.EPOCH);
		boolean quiet = !lastError.isAfter(attempt.startedAt());
		Map<String, Object> evidence = new LinkedHashMap<>(Map.of("health", state.name().toLowerCase(), "last_error",
				lastError.toString(), "acted_at", attempt.startedAt().toString(), "errors_quiet", quiet));
		if (state == HealthState.HEALTHY && quiet) {
			this.store.judge(attempt.id(), "succeeded", evidence);
			this.metrics.attempt(run.level(), attempt.strategy(), "succeeded").increment();
			this.metrics.recovered(Duration.between(run.startedAt(), Instant.now()));
			this.store.end(run.id(), "succeeded", "level " + run.level() + " (" + attempt.strategy() + ") recovered "
					+ run.target() + ": healthy, and no new errors since the action");
			this.incidents.resolve(run.incidentId(), "recovery",
					"verified after level " + run.level() + " (" + attempt.strategy() + ")");
			return;
		}
		this.store.judge(attempt.id(), "failed", evidence);
		this.metrics.attempt(run.level(), attempt.strategy(), "failed").increment();
		climb(run, attempt.id(), "level " + run.level() + " (" + attempt.strategy() + ") did not recover "
				+ run.target() + " (" + state.name().toLowerCase() + (quiet ? "" : ", errors continued") + ")");
	}

	private void climb(RecoveryStore.Run run, UUID attempt, String why) {
		int next = run.level() + 1;
		Duration cooldown = (next >= PERSON) ? Duration.ZERO : this.properties.cooldownBefore(next);
		this.store.next(run.id(), next, "act", cooldown, attempt,
				why + "; level " + next + ((next >= PERSON) ? " (a person)" : " after " + cooldown));
	}

}
