package io.rebound.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Failure prediction, as a pure function of a metric's recent values and the times they
 * were reported (the broker's or Rebound's clock, never the agent's): a robust trend —
 * the Theil–Sen slope, the median of the slopes between every pair of values, which a few
 * outliers do not bend — extrapolated to the metric's limit. The confidence is Kendall's
 * τ of value against time (1 when every later value is higher, about 0 for noise around a
 * level), lowered in proportion when the crossing lies further ahead than {@value #REACH}
 * times the span the trend was seen over: a trend seen for ten minutes says little about
 * the next five hours.
 */
final class FailurePredictor {

	/** How far ahead, in multiples of the observed span, a trend is trusted fully. */
	static final int REACH = 4;

	/** How far below a trend, in its spreads, a value breaks it. */
	static final int BREAK = 6;

	private FailurePredictor() {
	}

	/**
	 * A metric on its way to its limit.
	 *
	 * @param value the trend's value at the newest sample
	 * @param limit the limit it is heading for
	 * @param slopePerSecond how fast it rises
	 * @param crossesAt when the trend reaches the limit
	 * @param confidence from 0 to 1
	 */
	record Prediction(double value, double limit, double slopePerSecond, Instant crossesAt, double confidence) {

		/** How long from the newest sample until the crossing. */
		Duration lead(Instant from) {
			return Duration.between(from, this.crossesAt);
		}

	}

	/**
	 * A robust line through values against time.
	 *
	 * @param slopePerSecond the Theil–Sen slope
	 * @param valueAtNewest the line's value at the newest sample
	 * @param tau Kendall's τ of value against time, from −1 to 1
	 * @param spread the median absolute deviation of the values from the line
	 * @param spanSeconds the time from the oldest sample to the newest
	 */
	record Fit(double slopePerSecond, double valueAtNewest, double tau, double spread, double spanSeconds) {

		/** The line's value this long after the newest sample. */
		double at(double secondsAfterNewest) {
			return this.valueAtNewest + this.slopePerSecond * secondsAfterNewest;
		}

	}

	/**
	 * The line through these values, or {@code null} for fewer than three or no time
	 * between them.
	 * @param atMs when each value was reported, in epoch milliseconds, oldest first
	 * @param values the values
	 */
	static Fit fit(long[] atMs, double[] values) {
		int n = values.length;
		if (n < 3 || atMs[n - 1] <= atMs[0]) {
			return null;
		}
		long newest = atMs[n - 1];
		double[] slopes = new double[n * (n - 1) / 2];
		int count = 0;
		long concordant = 0;
		long discordant = 0;
		for (int i = 0; i < n; i++) {
			for (int j = i + 1; j < n; j++) {
				double dt = (atMs[j] - atMs[i]) / 1000.0;
				double dy = values[j] - values[i];
				if (dt > 0) {
					slopes[count++] = dy / dt;
				}
				if (dt != 0 && dy != 0) {
					if ((dt > 0) == (dy > 0)) {
						concordant++;
					}
					else {
						discordant++;
					}
				}
			}
		}
		double slope = AnomalyDetector.median(Arrays.copyOf(slopes, count));
		double[] residuals = new double[n];
		for (int i = 0; i < n; i++) {
			residuals[i] = values[i] - slope * ((atMs[i] - newest) / 1000.0);
		}
		double valueAtNewest = AnomalyDetector.median(residuals);
		for (int i = 0; i < n; i++) {
			residuals[i] = Math.abs(residuals[i] - valueAtNewest);
		}
		long pairs = (long) n * (n - 1) / 2;
		return new Fit(slope, valueAtNewest, (double) (concordant - discordant) / pairs,
				AnomalyDetector.median(residuals), (newest - atMs[0]) / 1000.0);
	}

	/**
	 * The trend of these values toward {@code limit} (rising to it), or empty when they
	 * are not rising, are at it already, or there are fewer than {@code minSamples}.
	 * @param atMs when each value was reported, in epoch milliseconds, oldest first
	 * @param values the values
	 */
	static Optional<Prediction> trend(long[] atMs, double[] values, double limit, int minSamples) {
		int n = values.length;
		if (n < minSamples || n == 0 || values[n - 1] >= limit) {
			return Optional.empty();
		}
		Fit fit = fit(atMs, values);
		if (fit == null || fit.slopePerSecond() <= 0 || fit.valueAtNewest() >= limit) {
			return Optional.empty();
		}
		double seconds = (limit - fit.valueAtNewest()) / fit.slopePerSecond();
		double confidence = Math.max(0, fit.tau()) * Math.min(1, REACH * fit.spanSeconds() / seconds);
		Instant crossesAt = Instant.ofEpochMilli(atMs[n - 1] + (long) Math.min(seconds * 1000, 1e15));
		return Optional.of(new Prediction(fit.valueAtNewest(), limit, fit.slopePerSecond(), crossesAt, confidence));
	}

	/**
	 * Whether a new value breaks the trend of the values before it: it lies below the
	 * trend's line by more than {@value #BREAK} times the values' spread around it (and
	 * than {@code floor}) — a restart that freed the leaked memory, a queue drained.
	 */
	static boolean breaks(long[] atMs, double[] values, long newAtMs, double newValue, double floor) {
		Fit fit = fit(atMs, values);
		if (fit == null) {
			return false;
		}
		double expected = fit.at((newAtMs - atMs[atMs.length - 1]) / 1000.0);
		return newValue < expected - Math.max(BREAK * 1.4826 * fit.spread(), floor);
	}

	/**
	 * Whether this trend is a prediction of failure worth acting on: the crossing within
	 * {@code horizon} of {@code from}, with at least {@code confidence}.
	 */
	static boolean predicts(Prediction trend, Instant from, Duration horizon, double confidence) {
		return trend.confidence() >= confidence && trend.lead(from).compareTo(horizon) <= 0;
	}

}
