package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.rebound.correlation.Incidents;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Where a run goes once an attempt is judged, inside the step's transaction: the same
 * level again while the policy allows more attempts there, else the next level it allows
 * after a cooldown, else a person; or the end, recovered, with its incident resolved.
 * Each move is published as a {@link RecoveryEvent}.
 */
@Component
class RunOutcomes {

	private final RecoveryStore store;

	private final Incidents incidents;

	private final RecoveryProperties properties;

	private final ApplicationEventPublisher events;

	RunOutcomes(RecoveryStore store, Incidents incidents, RecoveryProperties properties,
			ApplicationEventPublisher events) {
		this.store = store;
		this.incidents = incidents;
		this.properties = properties;
		this.events = events;
	}

	/**
	 * After a failed attempt: the same level while the policy allows more attempts there,
	 * else the next level it allows, else a person.
	 */
	void failed(RecoveryStore.Run run, UUID attempt, String why) {
		Policy policy = this.properties.policy(run.policy());
		if (run.levelAttempts() + 1 < policy.attemptsPerLevel()) {
			Duration cooldown = this.properties.cooldownBefore(policy, run.level());
			this.store.next(run.id(), run.level(), run.levelAttempts() + 1, Phase.ACT, cooldown, attempt,
					why + "; level " + run.level() + " again (attempt " + (run.levelAttempts() + 2) + " of "
							+ policy.attemptsPerLevel() + ") after " + cooldown);
			return;
		}
		int next = run.level() + 1;
		while (next < Ladder.PERSON && !policy.allows(next)) {
			next++;
		}
		if (next > Ladder.PERSON || (next == Ladder.PERSON && !policy.allows(Ladder.PERSON))) {
			toPerson(run, why + "; no level left that policy '" + run.policy() + "' allows");
			return;
		}
		Duration cooldown = this.properties.cooldownBefore(policy, next);
		String reason = why + "; level " + next + " after " + cooldown;
		this.store.next(run.id(), next, 0, Phase.ACT, cooldown, attempt, reason);
		this.events.publishEvent(new RecoveryEvent.RecoveryEscalated(run.id(), run.incidentId(), run.target(), next,
				run.level(), reason, Instant.now()));
	}

	/** The run waits for a person, who is told. */
	void toPerson(RecoveryStore.Run run, String why) {
		String reason = why + "; a person must act (reset the run, or resolve the incident)";
		this.store.end(run.id(), RunStatus.WAITING_PERSON, reason);
		this.events.publishEvent(new RecoveryEvent.RecoveryHandedToPerson(run.id(), run.incidentId(), run.target(),
				run.level(), run.policy(), reason, Instant.now()));
	}

	void succeed(RecoveryStore.Run run, String strategy, String reason) {
		this.store.end(run.id(), RunStatus.SUCCEEDED, reason);
		this.incidents.resolve(run.incidentId(), "recovery", reason);
		Instant now = Instant.now();
		this.events.publishEvent(new RecoveryEvent.RecoverySucceeded(run.id(), run.incidentId(), run.target(),
				run.level(), strategy, Duration.between(run.startedAt(), now), now));
	}

}
