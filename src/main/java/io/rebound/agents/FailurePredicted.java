package io.rebound.agents;

import java.time.Instant;

/**
 * A metric's trend will reach its limit within the horizon, with at least the configured
 * confidence: a failure is predicted. Published inside the heartbeat's transaction once
 * per prediction; how it ended is stored with it ({@code came_true} when the metric
 * reached its limit, {@code lapsed} when the trend stopped or broke first).
 *
 * @param predictionId the stored prediction
 * @param agentId the agent
 * @param metric the heartbeat field
 * @param value the trend's value now
 * @param limit the limit it is heading for
 * @param slopePerSecond how fast it rises
 * @param crossesAt when it reaches the limit, on the broker's clock
 * @param confidence from 0 to 1
 * @param at when it was predicted, on the broker's clock
 */
public record FailurePredicted(long predictionId, String agentId, String metric, double value, double limit,
		double slopePerSecond, Instant crossesAt, double confidence, Instant at) {

	/** The type of the error event a prediction becomes. */
	public static final String EVENT_TYPE = "predicted_failure";

}
