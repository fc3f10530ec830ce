package io.rebound.agents;

import java.time.Instant;

/**
 * An agent's health changed; published after the change is stored.
 *
 * @param transitionId the stored transition's id, unique
 * @param agentId the agent
 * @param from the state it left
 * @param to the state it entered
 * @param cause what moved it
 * @param reason for a person
 * @param at when
 */
public record AgentHealthChanged(long transitionId, String agentId, HealthState from, HealthState to, Cause cause,
		String reason, Instant at) {

	/**
	 * The type of the error event Rebound publishes when an agent falls from a good state
	 * to {@code degraded} by what its heartbeats report; its health state says whether it
	 * is over, so a recovery is judged on that rather than on the event's repeats.
	 */
	public static final String DEGRADED_EVENT_TYPE = "health_degraded";

	/**
	 * The type of the event a fall to critical or failed by silence or failed probes
	 * becomes.
	 */
	public static final String UNRESPONSIVE_EVENT_TYPE = "heartbeat_timeout";

	/**
	 * The type of the event a fall to critical or failed by what heartbeats report
	 * becomes.
	 */
	public static final String CRITICAL_EVENT_TYPE = "degraded_performance";

	/** What moved an agent's health. */
	public enum Cause {

		/** Heartbeats stopped coming. */
		HEARTBEAT_TIMEOUT,

		/** Heartbeats report slowness, errors or a degraded status. */
		DEGRADED_PERFORMANCE,

		/** Its health URL did not answer well, several times in a row. */
		PROBE_FAILED,

		/** The agent said it is stopping. */
		STOPPING,

		/** Heartbeats are good again, or the first one arrived. */
		RECOVERED

	}

}
