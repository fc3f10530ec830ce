package io.rebound.agents;

import java.time.Instant;

/**
 * One heartbeat: the agent is alive, and optionally how it is doing.
 *
 * @param agentId who
 * @param at when it was sent (the record's publish time)
 * @param status {@code ok}, {@code degraded} or {@code stopping}; {@code null} means ok
 * @param responseTimeMs the agent's response time, or {@code null}
 * @param errorRate its error rate from 0 to 1, or {@code null}
 * @param queueDepth its queue depth, or {@code null}
 * @param cpu its CPU use from 0 to 1, or {@code null}
 * @param memory its memory use from 0 to 1, or {@code null}
 */
record Heartbeat(String agentId, Instant at, String status, Double responseTimeMs, Double errorRate, Double queueDepth,
		Double cpu, Double memory, java.util.Map<String, String> breakers) {

	Heartbeat {
		breakers = (breakers != null) ? java.util.Map.copyOf(breakers) : java.util.Map.of();
	}

	/** A heartbeat that says nothing of circuit breakers. */
	Heartbeat(String agentId, Instant at, String status, Double responseTimeMs, Double errorRate, Double queueDepth,
			Double cpu, Double memory) {
		this(agentId, at, status, responseTimeMs, errorRate, queueDepth, cpu, memory, null);
	}

	boolean stopping() {
		return "stopping".equals(this.status);
	}

	boolean saysDegraded() {
		return "degraded".equals(this.status);
	}

}
