package io.rebound.agents;

import java.time.Instant;

/**
 * One HTTP liveness probe of an agent's {@code health_url}.
 *
 * @param agentId the agent
 * @param at when the probe started
 * @param ok whether it answered 2xx in time
 * @param latencyMs how long the answer took, or {@code null} without one
 * @param error what went wrong, or {@code null}
 */
record ProbeResult(String agentId, Instant at, boolean ok, Double latencyMs, String error) {

}
