package io.rebound.agents;

import java.time.Instant;

/**
 * A metric an agent reports left its baseline: {@code consecutive} values in a row scored
 * at or above the anomaly score. Published inside the heartbeat's transaction, once per
 * episode (the next value back within the baseline ends it).
 *
 * @param agentId the agent
 * @param metric the heartbeat field ({@code memory}, {@code response_time_ms}, …)
 * @param value the value that made it an anomaly
 * @param baseline the baseline's median
 * @param mad the baseline's median absolute deviation
 * @param score the value's modified z-score
 * @param baselineFrom {@code agent} (its own last values) or {@code kind} (its kind's)
 * @param at when the value was reported, on the broker's clock
 */
public record AnomalyDetected(String agentId, String metric, double value, double baseline, double mad, double score,
		String baselineFrom, Instant at) {

	/** The type of the error event an anomaly becomes. */
	public static final String EVENT_TYPE = "anomaly";

}
