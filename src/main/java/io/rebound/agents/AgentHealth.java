package io.rebound.agents;

import java.time.Instant;
import java.util.List;

/**
 * What the health state machine keeps per agent.
 *
 * @param state the current state
 * @param since when it entered that state
 * @param lastHeartbeat when the last heartbeat was sent, or {@code null}
 * @param intervalMs the heartbeat interval learned from this agent, or {@code null}
 * @param goodStreak consecutive good heartbeats
 * @param missed heartbeats missed since the last one
 * @param recentResponseMs response times of the last heartbeats that reported one, oldest
 * first
 * @param probeFailures health probes failed in a row
 */
record AgentHealth(HealthState state, Instant since, Instant lastHeartbeat, Long intervalMs, int goodStreak, int missed,
		List<Double> recentResponseMs, int probeFailures) {

	static AgentHealth fresh(Instant now) {
		return new AgentHealth(HealthState.UNKNOWN, now, null, null, 0, 0, List.of(), 0);
	}

}
