package io.rebound.agents;

import java.util.Arrays;
import java.util.function.Function;

/** The metrics heartbeats report, with what they are judged against. */
enum WatchedMetric {

	RESPONSE_TIME_MS("response_time_ms", 5, Heartbeat::responseTimeMs),

	ERROR_RATE("error_rate", 0.005, Heartbeat::errorRate),

	QUEUE_DEPTH("queue_depth", 1, Heartbeat::queueDepth),

	CPU("cpu", 0.01, Heartbeat::cpu),

	MEMORY("memory", 0.005, Heartbeat::memory);

	/** The heartbeat field. */
	final String wire;

	private final double floor;

	private final Function<Heartbeat, Double> reported;

	WatchedMetric(String wire, double floor, Function<Heartbeat, Double> reported) {
		this.wire = wire;
		this.floor = floor;
		this.reported = reported;
	}

	/** What the heartbeat reported of it, or {@code null}. */
	Double of(Heartbeat beat) {
		return this.reported.apply(beat);
	}

	/**
	 * The smallest deviation that counts: the metric's own (5 ms, 1 queued item, half a
	 * percent of error rate or memory, one of CPU) or 2 % of its usual value, whichever
	 * is larger.
	 */
	double floor(double usual) {
		return Math.max(this.floor, 0.02 * Math.abs(usual));
	}

	/**
	 * The limit a trend is heading for: the critical one where there is one, else the
	 * degraded one (response time has only that); {@code null} when the metric is not
	 * judged.
	 */
	Double limit(AgentsProperties.Heartbeat settings, AgentsProperties.Resources limits) {
		return switch (this) {
			case RESPONSE_TIME_MS -> (double) settings.responseTime().toMillis();
			case ERROR_RATE -> settings.errorRateCritical();
			case QUEUE_DEPTH ->
				(limits.queueDepthCritical() != null) ? limits.queueDepthCritical() : limits.queueDepthDegraded();
			case CPU -> (limits.cpuCritical() != null) ? limits.cpuCritical() : limits.cpuDegraded();
			case MEMORY -> (limits.memoryCritical() != null) ? limits.memoryCritical() : limits.memoryDegraded();
		};
	}

	static WatchedMetric fromWire(String wire) {
		return Arrays.stream(values()).filter((m) -> m.wire.equals(wire)).findFirst().orElseThrow();
	}

}
