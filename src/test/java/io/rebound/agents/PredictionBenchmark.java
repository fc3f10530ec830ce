package io.rebound.agents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import io.rebound.Settings;
import org.junit.jupiter.api.Test;

/**
 * How well failure prediction does at the default settings ({@code ./mvnw -Pbench verify
 * -Dtest=PredictionBenchmark}), on labelled series generated here: agents that leak
 * memory, slow down or let a queue grow until a limit, after a stable start, and healthy
 * agents whose metrics are noisy, spiky, wander, follow a GC sawtooth or a daily cycle.
 * Every series is a heartbeat every 10 s (±1 s) fed through {@link MetricWindow}, the
 * code Rebound runs. Prints precision, recall, accuracy, lead times, false preemptive
 * actions (predictions on healthy agents and before a leak began) and anomalies per
 * healthy agent-hour. Figures only.
 */
class PredictionBenchmark {

	private static final int PER_CLASS = 200;

	private static final long STEP_MS = 10_000;

	private final AgentsProperties.Foresight settings = Settings.bind("rebound.agents", AgentsProperties.class)
		.foresight();

	/**
	 * A generated series: its value at each minute, and the minute it fails, if it does.
	 */
	private record Scenario(String name, boolean fails, double limit, WatchedMetric metric, double onsetMin,
			double failsAtMin, double lengthMin, DoubleUnaryOperator valueAt) {
	}

	private record Result(Scenario scenario, List<Double> predictedAtMin, int anomalies) {
	}

	@Test
	void prediction() {
		Random random = new Random(2026_12_02L);
		List<Scenario> scenarios = new ArrayList<>();
		for (int i = 0; i < PER_CLASS; i++) {
			scenarios.add(leak(random));
			scenarios.add(slowdown(random));
			scenarios.add(queueGrowth(random));
			scenarios.add(stable(random));
			scenarios.add(spiky(random));
			scenarios.add(wandering(random));
			scenarios.add(sawtooth(random));
			scenarios.add(daily(random));
		}
		List<Result> results = scenarios.stream().map((s) -> run(s, new Random(random.nextLong()))).toList();

		int tp = 0;
		int fn = 0;
		int tn = 0;
		int falseActions = 0;
		int healthyWithAction = 0;
		int early = 0;
		List<Double> leads = new ArrayList<>();
		double healthyHours = 0;
		int healthyAnomalies = 0;
		System.out.printf(Locale.ROOT, "%n%-14s %6s %9s %9s %12s %12s%n", "class", "series", "predicted", "false",
				"lead p50 min", "lead p10 min");
		for (String name : scenarios.stream().map(Scenario::name).distinct().toList()) {
			List<Result> of = results.stream().filter((r) -> r.scenario().name().equals(name)).toList();
			int predicted = 0;
			int falsePredictions = 0;
			List<Double> classLeads = new ArrayList<>();
			for (Result r : of) {
				Scenario s = r.scenario();
				List<Double> before = r.predictedAtMin().stream().filter((m) -> m < s.onsetMin()).toList();
				List<Double> timely = r.predictedAtMin()
					.stream()
					.filter((m) -> m >= s.onsetMin() && m < s.failsAtMin())
					.toList();
				if (s.fails()) {
					falsePredictions += before.size();
					early += before.size();
					if (!timely.isEmpty()) {
						predicted++;
						tp++;
						classLeads.add(s.failsAtMin() - timely.get(0));
					}
					else {
						fn++;
					}
				}
				else {
					healthyHours += s.lengthMin() / 60;
					healthyAnomalies += r.anomalies();
					falsePredictions += r.predictedAtMin().size();
					if (r.predictedAtMin().isEmpty()) {
						tn++;
					}
					else {
						predicted++;
						healthyWithAction++;
					}
				}
			}
			falseActions += falsePredictions;
			leads.addAll(classLeads);
			System.out.printf(Locale.ROOT, "%-14s %6d %9d %9d %12s %12s%n", name, of.size(), predicted,
					falsePredictions, percentile(classLeads, 0.5), percentile(classLeads, 0.1));
		}
		int failing = tp + fn;
		int healthy = tn + healthyWithAction;
		double precision = (double) tp / Math.max(1, tp + falseActions);
		double recall = (double) tp / failing;
		double accuracy = (double) (tp + tn) / (failing + healthy);
		System.out.printf(Locale.ROOT,
				"%nfailing series %d, healthy series %d (default settings: window %d, "
						+ "min-samples %d, horizon %s, confidence %.2f)%n",
				failing, healthy, this.settings.window(), this.settings.minSamples(), this.settings.horizon(),
				this.settings.confidence());
		System.out.printf(Locale.ROOT, "recall     %.3f (%d of %d failures predicted before they happened)%n", recall,
				tp, failing);
		System.out.printf(Locale.ROOT,
				"precision  %.3f (%d timely predictions, %d false: %d on healthy agents' series, %d before a fault began)%n",
				precision, tp, falseActions, falseActions - early, early);
		System.out.printf(Locale.ROOT, "accuracy   %.3f (series judged right: failing predicted, healthy left alone)%n",
				accuracy);
		System.out.printf(Locale.ROOT, "healthy agents with a false preemptive action: %d of %d%n", healthyWithAction,
				healthy);
		System.out.printf(Locale.ROOT, "lead time before the failure: p10 %s min, median %s min, p90 %s min%n",
				percentile(leads, 0.1), percentile(leads, 0.5), percentile(leads, 0.9));
		System.out.printf(Locale.ROOT, "anomalies reported per healthy agent-hour: %.3f (%d in %.0f h)%n",
				healthyAnomalies / healthyHours, healthyAnomalies, healthyHours);
	}

	private Result run(Scenario s, Random jitter) {
		MetricWindow window = new MetricWindow(s.name(), s.metric());
		List<Double> predicted = new ArrayList<>();
		int anomalies = 0;
		long t0 = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
		long end = (long) (s.lengthMin() * 60_000);
		for (long at = 0; at <= end; at += STEP_MS + jitter.nextInt(2001) - 1000) {
			double minute = at / 60_000.0;
			double value = s.valueAt().applyAsDouble(minute);
			MetricWindow.Step step = window.observe(value, Instant.ofEpochMilli(t0 + at), s.limit(), () -> null,
					this.settings);
			if (step.predicted() != null) {
				predicted.add(minute);
			}
			if (step.anomaly()) {
				anomalies++;
			}
			if (minute >= s.failsAtMin()) {
				break; // its level reached the limit: failed
			}
		}
		return new Result(s, predicted, anomalies);
	}

	/** Memory from a stable level rising linearly to 0.98 (the critical limit). */
	private static Scenario leak(Random r) {
		double base = 0.35 + 0.25 * r.nextDouble();
		double noise = 0.003 + 0.017 * r.nextDouble();
		double onset = 10 + 50 * r.nextDouble();
		double toFail = 20 + 220 * r.nextDouble();
		double rate = (0.98 - base) / toFail;
		Random n = new Random(r.nextLong());
		return new Scenario("memory leak", true, 0.98, WatchedMetric.MEMORY, onset, onset + toFail, onset + toFail + 5,
				(m) -> base + Math.max(0, m - onset) * rate + noise * n.nextGaussian());
	}

	/** Response time, noisy and spiky, rising linearly to 2 s. */
	private static Scenario slowdown(Random r) {
		double base = 100 + 300 * r.nextDouble();
		double noise = 0.05 + 0.15 * r.nextDouble();
		double onset = 10 + 50 * r.nextDouble();
		double toFail = 30 + 150 * r.nextDouble();
		double rate = (2000 - base) / toFail;
		Random n = new Random(r.nextLong());
		return new Scenario("slowdown", true, 2000, WatchedMetric.RESPONSE_TIME_MS, onset, onset + toFail,
				onset + toFail + 5, (m) -> {
					double level = base + Math.max(0, m - onset) * rate;
					double spike = (n.nextDouble() < 0.01) ? 3 + 2 * n.nextDouble() : 1;
					return Math.max(1, level * (1 + noise * n.nextGaussian()) * spike);
				});
	}

	/** A queue depth growing to 1000 (a configured critical limit). */
	private static Scenario queueGrowth(Random r) {
		double base = 5 + 45 * r.nextDouble();
		double onset = 10 + 50 * r.nextDouble();
		double toFail = 15 + 105 * r.nextDouble();
		double rate = (1000 - base) / toFail;
		Random n = new Random(r.nextLong());
		return new Scenario("queue growth", true, 1000, WatchedMetric.QUEUE_DEPTH, onset, onset + toFail,
				onset + toFail + 5, (m) -> Math.max(0,
						Math.round(base + Math.max(0, m - onset) * rate + Math.sqrt(base) * 2 * n.nextGaussian())));
	}

	/** Memory around a level, with noise. */
	private static Scenario stable(Random r) {
		double base = 0.4 + 0.45 * r.nextDouble();
		double noise = 0.005 + 0.035 * r.nextDouble();
		Random n = new Random(r.nextLong());
		return healthy("stable memory", WatchedMetric.MEMORY, 0.98, (m) -> base + noise * n.nextGaussian());
	}

	/** Response time with heavy-tailed spikes. */
	private static Scenario spiky(Random r) {
		double base = 100 + 400 * r.nextDouble();
		Random n = new Random(r.nextLong());
		return healthy("spiky latency", WatchedMetric.RESPONSE_TIME_MS, 2000, (m) -> {
			double spike = (n.nextDouble() < 0.02) ? 2 + 3 * n.nextDouble() : 1;
			return Math.max(1, base * (1 + 0.2 * n.nextGaussian()) * spike);
		});
	}

	/** Memory wandering around its mean (mean-reverting random walk, ~30 min memory). */
	private static Scenario wandering(Random r) {
		double mean = 0.5 + 0.2 * r.nextDouble();
		double sigma = 0.03 + 0.05 * r.nextDouble();
		Random n = new Random(r.nextLong());
		double[] state = { mean, -1 };
		return healthy("wandering", WatchedMetric.MEMORY, 0.98, (m) -> {
			double dt = (state[1] < 0) ? 0 : m - state[1];
			state[1] = m;
			double theta = 1 / 30.0;
			state[0] += theta * (mean - state[0]) * dt + sigma * Math.sqrt(2 * theta * dt) * n.nextGaussian();
			return Math.min(0.97, state[0] + 0.005 * n.nextGaussian());
		});
	}

	/** Memory in a GC sawtooth: rising for minutes, then collected. */
	private static Scenario sawtooth(Random r) {
		double low = 0.4 + 0.2 * r.nextDouble();
		double amplitude = 0.1 + 0.2 * r.nextDouble();
		double period = 2 + 28 * r.nextDouble();
		Random n = new Random(r.nextLong());
		return healthy("gc sawtooth", WatchedMetric.MEMORY, 0.98,
				(m) -> low + amplitude * ((m % period) / period) + 0.005 * n.nextGaussian());
	}

	/** Response time following a daily load cycle (the six hours of its rise). */
	private static Scenario daily(Random r) {
		double base = 150 + 250 * r.nextDouble();
		double swing = 0.3 + 0.5 * r.nextDouble();
		Random n = new Random(r.nextLong());
		return healthy("daily cycle", WatchedMetric.RESPONSE_TIME_MS, 2000,
				(m) -> base * (1 + swing * Math.sin(2 * Math.PI * (m / 1440.0 - 0.25)) + 0.1 * n.nextGaussian()));
	}

	private static Scenario healthy(String name, WatchedMetric metric, double limit, DoubleUnaryOperator valueAt) {
		return new Scenario(name, false, limit, metric, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 360,
				valueAt);
	}

	private static String percentile(List<Double> values, double p) {
		if (values.isEmpty()) {
			return "-";
		}
		List<Double> sorted = values.stream().sorted().toList();
		return String.format(Locale.ROOT, "%.1f", sorted.get((int) Math.min(sorted.size() - 1, p * sorted.size())));
	}

}
