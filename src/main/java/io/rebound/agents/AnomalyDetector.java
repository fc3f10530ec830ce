package io.rebound.agents;

import java.util.Arrays;
import java.util.List;

/**
 * Anomalies in what heartbeats report, as pure functions: a value is judged against a
 * robust baseline of its metric's recent values — their median and median absolute
 * deviation (MAD), which a few outliers do not move — by the modified z-score of Iglewicz
 * and Hoaglin, {@code 0.6745 · (x − median) / MAD}. Nothing is trained and nothing is
 * labelled: the baseline is the agent's own recent past (or its kind's, for an agent too
 * new to have one), and it follows a lasting change of level within half a window.
 */
final class AnomalyDetector {

	/** The constant that makes the MAD comparable to a standard deviation. */
	static final double CONSISTENCY = 0.6745;

	private AnomalyDetector() {
	}

	/**
	 * What a metric usually is.
	 *
	 * @param median its median
	 * @param mad its median absolute deviation from the median
	 * @param samples how many values it was learned from
	 * @param from {@code agent} (its own values) or {@code kind} (the medians of agents
	 * of its kind)
	 */
	record Baseline(double median, double mad, int samples, String from) {
	}

	/** The baseline of these values. */
	static Baseline baseline(double[] values, String from) {
		double median = median(values);
		double[] deviations = new double[values.length];
		for (int i = 0; i < values.length; i++) {
			deviations[i] = Math.abs(values[i] - median);
		}
		return new Baseline(median, median(deviations), values.length, from);
	}

	/**
	 * The baseline for an agent without enough values of its own: the median of its
	 * kind's agents' medians and of their MADs.
	 * @param baselines the baselines of agents of its kind (not empty)
	 */
	static Baseline ofKind(List<Baseline> baselines) {
		double[] medians = baselines.stream().mapToDouble(Baseline::median).toArray();
		double[] mads = baselines.stream().mapToDouble(Baseline::mad).toArray();
		return new Baseline(median(medians), median(mads), baselines.stream().mapToInt(Baseline::samples).sum(),
				"kind");
	}

	/**
	 * The modified z-score of {@code value}: how many (MAD-based) deviations it lies
	 * above the baseline's median; negative below it.
	 * @param floor the smallest deviation a MAD counts as, so that a metric that never
	 * moved does not make every small change an anomaly
	 */
	static double score(double value, Baseline baseline, double floor) {
		return CONSISTENCY * (value - baseline.median()) / Math.max(baseline.mad(), floor);
	}

	static double median(double[] values) {
		if (values.length == 0) {
			throw new IllegalArgumentException("no values");
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
