package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.springframework.modulith.NamedInterface;

/**
 * What happened to a recovery run, one record per outcome, in the past tense — published
 * in the step's transaction as it is stored; notifications and metrics listen to them
 * (the way resilience4j's {@code RetryEvent}s are published and consumed).
 */
@NamedInterface("events")
public sealed interface RecoveryEvent {

	/** The run. */
	UUID runId();

	/** Its incident. */
	UUID incidentId();

	/** The agent it recovers. */
	String agent();

	/** The level it stands at. */
	int level();

	/** When it happened, on Rebound's clock. */
	Instant at();

	/**
	 * A run started for a new incident.
	 *
	 * @param runId the run
	 * @param incidentId its incident
	 * @param agent the agent it recovers
	 * @param level the level it starts at
	 * @param policy the agent's policy tier
	 * @param reason why it starts where it does
	 * @param at when
	 */
	@NamedInterface("events")
	record RecoveryStarted(UUID runId, UUID incidentId, String agent, int level, String policy, String reason,
			Instant at) implements RecoveryEvent {
	}

	/**
	 * An attempt was judged.
	 *
	 * @param runId the run
	 * @param incidentId its incident
	 * @param agent the agent it recovers
	 * @param level the attempt's level
	 * @param attemptId the attempt
	 * @param strategy its strategy
	 * @param outcome {@code succeeded}, {@code failed} or {@code action_failed}
	 * @param at when
	 */
	@NamedInterface("events")
	record RecoveryAttemptJudged(UUID runId, UUID incidentId, String agent, int level, UUID attemptId, String strategy,
			String outcome, Instant at) implements RecoveryEvent {
	}

	/**
	 * A run climbed to a higher level after its level's attempts failed.
	 *
	 * @param runId the run
	 * @param incidentId its incident
	 * @param agent the agent it recovers
	 * @param level the level it climbed to
	 * @param from the level it left
	 * @param reason why
	 * @param at when
	 */
	@NamedInterface("events")
	record RecoveryEscalated(UUID runId, UUID incidentId, String agent, int level, int from, String reason,
			Instant at) implements RecoveryEvent {
	}

	/**
	 * A run now waits for a person: the ladder is exhausted, or the incident was never
	 * for automatic recovery.
	 *
	 * @param runId the run
	 * @param incidentId its incident
	 * @param agent the agent it recovers
	 * @param level the level reached
	 * @param policy the agent's policy tier (its webhooks are told)
	 * @param reason why
	 * @param at when
	 */
	@NamedInterface("events")
	record RecoveryHandedToPerson(UUID runId, UUID incidentId, String agent, int level, String policy, String reason,
			Instant at) implements RecoveryEvent {
	}

	/**
	 * Level 5 waits for a person's approval.
	 *
	 * @param runId the run
	 * @param incidentId its incident
	 * @param agent the agent it recovers
	 * @param level the level that waits (5)
	 * @param policy the agent's policy tier (its webhooks are told)
	 * @param reason why, and how to approve
	 * @param at when
	 */
	@NamedInterface("events")
	record RecoveryAwaitingApproval(UUID runId, UUID incidentId, String agent, int level, String policy, String reason,
			Instant at) implements RecoveryEvent {
	}

	/**
	 * A run's action waits: a restart limit or the global cap held it back.
	 *
	 * @param runId the run
	 * @param incidentId its incident
	 * @param agent the agent it recovers
	 * @param level its level
	 * @param reason which limit
	 * @param at when
	 */
	@NamedInterface("events")
	record RecoveryThrottled(UUID runId, UUID incidentId, String agent, int level, String reason,
			Instant at) implements RecoveryEvent {
	}

	/**
	 * A run was verified: its target is healthy and its errors are quiet.
	 *
	 * @param runId the run
	 * @param incidentId its incident
	 * @param agent the agent it recovered
	 * @param level the level that recovered it
	 * @param strategy the strategy that did, or {@code null} when it recovered with its
	 * dependency
	 * @param took from the run's start to its verification
	 * @param at when
	 */
	@NamedInterface("events")
	record RecoverySucceeded(UUID runId, UUID incidentId, String agent, int level, String strategy, Duration took,
			Instant at) implements RecoveryEvent {
	}

	/**
	 * A run was cancelled: its incident ended otherwise.
	 *
	 * @param runId the run
	 * @param incidentId its incident
	 * @param agent the agent it recovered
	 * @param level the level it stood at
	 * @param reason why
	 * @param at when
	 */
	@NamedInterface("events")
	record RecoveryCancelled(UUID runId, UUID incidentId, String agent, int level, String reason,
			Instant at) implements RecoveryEvent {
	}

}
