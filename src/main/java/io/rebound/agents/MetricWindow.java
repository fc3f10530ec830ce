package io.rebound.agents;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

import io.rebound.agents.AnomalyDetector.Baseline;
import io.rebound.agents.FailurePredictor.Prediction;

/**
 * One agent's last values of one metric, with the times they were reported, the medians
 * of its last buckets, and the state of the judgements on them: anomalous values in a
 * row, the prediction in force. Anomalies are judged on the raw values, trends on the
 * bucket medians (noise and spikes do not make one). {@link #observe} is the whole
 * decision for one new value, without storage, so that what Rebound does and what the
 * prediction benchmark measures are one code.
 */
final class MetricWindow {

	/**
	 * What one value did.
	 *
	 * @param anomaly the value's score against this baseline reached the anomaly score
	 * for the configured number of values in a row, just now; or {@code null}
	 * @param baseline the baseline it was scored against, or {@code null} when there was
	 * none
	 * @param score its modified z-score, or {@code NaN} without a baseline
	 * @param predicted a failure is predicted from now on, or {@code null}
	 * @param ended the prediction in force ended: {@code came_true} (the value reached
	 * the limit) or {@code lapsed} (the trend stopped or broke); or {@code null}
	 */
	record Step(boolean anomaly, Baseline baseline, double score, Prediction predicted, String ended) {
	}

	final String agentId;

	final WatchedMetric metric;

	long[] at = new long[0];

	double[] values = new double[0];

	int anomalous;

	/** Since when a prediction is in force, or {@code null}. */
	Instant predictedSince;

	/** The stored prediction in force, or {@code null}. */
	Long predictionId;

	int unpredicted;

	/** When each bucket's newest value was reported, oldest first. */
	long[] bucketAt = new long[0];

	/** The median of each bucket's values. */
	double[] buckets = new double[0];

	/** The Kendall's τ over the whole history a rise must show to be lasting. */
	static final double LASTING = 0.5;

	MetricWindow(String agentId, WatchedMetric metric) {
		this.agentId = agentId;
		this.metric = metric;
	}

	/**
	 * A new value, reported at {@code at} (the broker's clock).
	 * @param limit the limit the metric's trend is judged against, or {@code null}
	 * @param kindBaseline the baseline to use while this agent has too few values of its
	 * own; may give {@code null}
	 */
	Step observe(double value, Instant at, Double limit, Supplier<Baseline> kindBaseline,
			AgentsProperties.Foresight settings) {
		Baseline baseline = (this.values.length >= settings.minSamples())
				? AnomalyDetector.baseline(this.values, "agent") : kindBaseline.get();
		double score = Double.NaN;
		boolean anomaly = false;
		if (baseline != null) {
			score = AnomalyDetector.score(value, baseline, this.metric.floor(baseline.median()));
			this.anomalous = (score >= settings.anomalyScore()) ? this.anomalous + 1 : 0;
			anomaly = this.anomalous == settings.anomalyConsecutive();
		}
		long atMs = at.toEpochMilli();
		String ended = null;
		if (this.predictedSince != null && limit != null && value >= limit) {
			ended = end("came_true");
		}
		else if (this.predictedSince != null
				&& FailurePredictor.breaks(this.at, this.values, atMs, value, this.metric.floor(value))) {
			// a restart freed what leaked, a queue drained: the values before it describe
			// a process that is gone
			ended = end("lapsed");
			this.at = new long[0];
			this.values = new double[0];
		}
		long bucketMs = settings.bucket().toMillis();
		boolean closed = this.values.length > 0
				&& Math.floorDiv(this.at[this.at.length - 1], bucketMs) < Math.floorDiv(atMs, bucketMs);
		if (closed) {
			closeBucket(bucketMs, settings.history());
		}
		append(atMs, value, settings.window());
		if (!closed || limit == null || this.buckets.length < 2 * settings.recent()) {
			return new Step(anomaly, baseline, score, null, ended);
		}
		int from = this.buckets.length - settings.recent();
		Optional<Prediction> trend = FailurePredictor
			.trend(Arrays.copyOfRange(this.bucketAt, from, this.buckets.length),
					Arrays.copyOfRange(this.buckets, from, this.buckets.length), limit, settings.recent())
			.filter((p) -> FailurePredictor.predicts(p, at, settings.horizon(), settings.confidence()))
			.filter((p) -> lasting(settings));
		Prediction predicted = null;
		if (trend.isPresent() && this.predictedSince == null && ended == null) {
			predicted = trend.get();
			this.predictedSince = at;
			this.unpredicted = 0;
		}
		else if (this.predictedSince != null) {
			this.unpredicted = trend.isPresent() ? 0 : this.unpredicted + 1;
			if (this.unpredicted >= settings.lapseAfter()) {
				ended = end("lapsed");
			}
		}
		return new Step(anomaly, baseline, score, predicted, ended);
	}

	/**
	 * Whether the rise is a lasting one: over all the buckets kept, longer than the
	 * recent ones, the values rise too (Kendall's τ at least {@value #LASTING}) — a GC
	 * sawtooth or a wander rises for a while and falls back, a leak keeps rising.
	 */
	private boolean lasting(AgentsProperties.Foresight settings) {
		FailurePredictor.Fit fit = FailurePredictor.fit(this.bucketAt, this.buckets);
		return fit != null && fit.tau() >= LASTING;
	}

	/** The median of the raw values in the newest value's bucket becomes a bucket. */
	private void closeBucket(long bucketMs, int history) {
		long bucket = Math.floorDiv(this.at[this.at.length - 1], bucketMs);
		int first = this.at.length - 1;
		while (first > 0 && Math.floorDiv(this.at[first - 1], bucketMs) == bucket) {
			first--;
		}
		double median = AnomalyDetector.median(Arrays.copyOfRange(this.values, first, this.values.length));
		int keep = Math.min(this.buckets.length, history - 1);
		long[] nextAt = new long[keep + 1];
		double[] next = new double[keep + 1];
		System.arraycopy(this.bucketAt, this.bucketAt.length - keep, nextAt, 0, keep);
		System.arraycopy(this.buckets, this.buckets.length - keep, next, 0, keep);
		nextAt[keep] = this.at[this.at.length - 1];
		next[keep] = median;
		this.bucketAt = nextAt;
		this.buckets = next;
	}

	private String end(String outcome) {
		this.predictedSince = null;
		this.unpredicted = 0;
		return outcome;
	}

	private void append(long atMs, double value, int size) {
		int keep = Math.min(this.values.length, size - 1);
		long[] nextAt = new long[keep + 1];
		double[] next = new double[keep + 1];
		System.arraycopy(this.at, this.at.length - keep, nextAt, 0, keep);
		System.arraycopy(this.values, this.values.length - keep, next, 0, keep);
		nextAt[keep] = atMs;
		next[keep] = value;
		this.at = nextAt;
		this.values = next;
	}

}
