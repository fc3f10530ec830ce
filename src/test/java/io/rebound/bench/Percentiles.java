package io.rebound.bench;

import java.util.List;

/** Percentiles of a benchmark's figures, by the nearest rank. */
public final class Percentiles {

	private Percentiles() {
	}

	/** The p-th percentile (0–100) of the values, by the nearest rank; NaN for none. */
	public static double of(List<Double> values, int p) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = values.stream().sorted().toList();
		int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

}
