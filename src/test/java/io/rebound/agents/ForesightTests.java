package io.rebound.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.rebound.Settings;
import io.rebound.agents.AnomalyDetector.Baseline;
import io.rebound.agents.FailurePredictor.Prediction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The anomaly detector, the failure predictor and the window that applies them, on
 * generated series whose answers are known.
 */
class ForesightTests {

	private static final long T0 = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();

	private final AgentsProperties.Foresight settings = Settings.bind("rebound.agents", AgentsProperties.class)
		.foresight();

	@Test
	void aPolicyTierMayAskForMoreConfidenceThanTheDefault() {
		AgentsProperties.Foresight tiered = Settings
			.bind("rebound.agents", AgentsProperties.class, "foresight.policies.critical=0.9")
			.foresight();

		assertThat(tiered.confidence()).isEqualTo(0.7);
		assertThat(tiered.forPolicy("critical").confidence()).isEqualTo(0.9);
		assertThat(tiered.forPolicy("default").confidence()).isEqualTo(0.7);
		assertThat(tiered.forPolicy(null)).isSameAs(tiered);
	}

	@Test
	void theBaselineIsTheMedianAndTheMedianAbsoluteDeviationWhichOneOutlierDoesNotMove() {
		Baseline baseline = AnomalyDetector.baseline(new double[] { 1, 2, 3, 4, 100 }, "agent");

		assertThat(baseline.median()).isEqualTo(3);
		assertThat(baseline.mad()).isEqualTo(1);
		assertThat(AnomalyDetector.score(10, baseline, 0.1)).isCloseTo(0.6745 * 7, within(1e-9));
		// a metric that never moved is scored against the floor, not against zero
		Baseline flat = AnomalyDetector.baseline(new double[] { 5, 5, 5, 5 }, "agent");
		assertThat(AnomalyDetector.score(6, flat, 1)).isCloseTo(0.6745, within(1e-9));
	}

	@Test
	void aKindsBaselineIsTheMedianOfItsAgentsMediansAndDeviations() {
		Baseline kind = AnomalyDetector.ofKind(List.of(new Baseline(100, 4, 60, "agent"),
				new Baseline(110, 6, 60, "agent"), new Baseline(500, 90, 60, "agent")));

		assertThat(kind.median()).isEqualTo(110);
		assertThat(kind.mad()).isEqualTo(6);
		assertThat(kind.from()).isEqualTo("kind");
	}

	@Test
	void aSteadyLeakIsExtrapolatedToItsLimitWithFullConfidence() {
		// 0.5 + 0.001 per second, a value every 10 s for 290 s: 0.79 now, 0.98 in 190 s
		long[] at = times(30, 10_000);
		double[] values = new double[30];
		for (int i = 0; i < 30; i++) {
			values[i] = 0.5 + 0.001 * (i * 10);
		}

		Prediction p = FailurePredictor.trend(at, values, 0.98, 20).orElseThrow();

		assertThat(p.slopePerSecond()).isCloseTo(0.001, within(1e-12));
		assertThat(p.value()).isCloseTo(0.79, within(1e-9));
		assertThat(p.lead(Instant.ofEpochMilli(at[29])).toMillis()).isCloseTo(190_000L,
				org.assertj.core.api.Assertions.within(1L));
		assertThat(p.confidence()).isEqualTo(1.0);
		assertThat(FailurePredictor.predicts(p, Instant.ofEpochMilli(at[29]), Duration.ofHours(1), 0.7)).isTrue();
		assertThat(FailurePredictor.predicts(p, Instant.ofEpochMilli(at[29]), Duration.ofMinutes(3), 0.7)).isFalse();
	}

	@Test
	void outliersDoNotBendTheTrend() {
		long[] at = times(30, 10_000);
		double[] values = new double[30];
		for (int i = 0; i < 30; i++) {
			values[i] = 0.5 + 0.001 * (i * 10) + ((i % 9 == 4) ? 0.3 : 0);
		}

		Prediction p = FailurePredictor.trend(at, values, 0.98, 20).orElseThrow();

		assertThat(p.slopePerSecond()).isCloseTo(0.001, within(1e-9));
		assertThat(p.value()).isCloseTo(0.79, within(1e-9));
	}

	@Test
	void noiseAroundALevelIsNoTrendAndAFallingMetricHeadsNowhere() {
		Random random = new Random(7);
		long[] at = times(60, 10_000);
		double[] noisy = new double[60];
		double[] falling = new double[60];
		for (int i = 0; i < 60; i++) {
			noisy[i] = 0.6 + 0.05 * random.nextGaussian();
			falling[i] = 0.9 - 0.001 * i;
		}

		assertThat(FailurePredictor.trend(at, noisy, 0.98, 20)
			.filter((p) -> FailurePredictor.predicts(p, Instant.ofEpochMilli(at[59]), Duration.ofHours(1), 0.7)))
			.isEmpty();
		assertThat(FailurePredictor.trend(at, falling, 0.98, 20)).isEmpty();
		// too few values to judge, and a value at the limit already is the threshold's
		// business
		assertThat(FailurePredictor.trend(times(10, 10_000), new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 20, 20))
			.isEmpty();
		assertThat(FailurePredictor.trend(times(3, 10_000), new double[] { 1, 2, 3 }, 3, 3)).isEmpty();
	}

	@Test
	void aCrossingFarBeyondWhatTheTrendWasSeenOverIsTrustedLess() {
		// seen for 290 s, crossing in 2,900 s: ten spans ahead, trusted for four of them
		long[] at = times(30, 10_000);
		double[] values = new double[30];
		for (int i = 0; i < 30; i++) {
			values[i] = 0.001 * (i * 10);
		}

		Prediction p = FailurePredictor.trend(at, values, 0.29 + 2.9, 20).orElseThrow();

		assertThat(p.confidence()).isCloseTo(0.4, within(1e-9));
	}

	@Test
	void aValueFarBelowTheTrendBreaksItAndNoiseDoesNot() {
		long[] at = times(30, 10_000);
		double[] values = new double[30];
		Random random = new Random(3);
		for (int i = 0; i < 30; i++) {
			values[i] = 0.5 + 0.001 * (i * 10) + 0.005 * random.nextGaussian();
		}
		long next = at[29] + 10_000;

		assertThat(FailurePredictor.breaks(at, values, next, 0.45, 0.005)).isTrue();
		assertThat(FailurePredictor.breaks(at, values, next, 0.795, 0.005)).isFalse();
	}

	@Test
	void anAnomalyIsReportedOnceItsSecondValueInARowLeavesTheBaselineAndOncePerEpisode() {
		MetricWindow window = new MetricWindow("a", WatchedMetric.RESPONSE_TIME_MS);
		Random random = new Random(11);
		List<MetricWindow.Step> steps = new ArrayList<>();
		long t = T0;
		for (int i = 0; i < 30; i++) {
			steps.add(observe(window, 100 + 4 * random.nextGaussian(), t += 10_000, 2000.0));
		}
		assertThat(steps).noneMatch(MetricWindow.Step::anomaly);

		MetricWindow.Step first = observe(window, 400, t += 10_000, 2000.0);
		MetricWindow.Step second = observe(window, 420, t += 10_000, 2000.0);
		MetricWindow.Step third = observe(window, 410, t += 10_000, 2000.0);
		observe(window, 101, t += 10_000, 2000.0);
		MetricWindow.Step again = observe(window, 400, t += 10_000, 2000.0);
		MetricWindow.Step againSecond = observe(window, 400, t += 10_000, 2000.0);

		assertThat(first.anomaly()).isFalse();
		assertThat(first.score()).isGreaterThan(3.5);
		assertThat(second.anomaly()).isTrue();
		assertThat(second.baseline().from()).isEqualTo("agent");
		assertThat(second.baseline().median()).isCloseTo(100, within(5.0));
		assertThat(third.anomaly()).isFalse();
		assertThat(again.anomaly()).isFalse();
		assertThat(againSecond.anomaly()).isTrue();
	}

	@Test
	void aNewAgentIsJudgedAgainstItsKindsBaselineUntilItHasEnoughValues() {
		MetricWindow window = new MetricWindow("new", WatchedMetric.RESPONSE_TIME_MS);
		Baseline kind = new Baseline(100, 5, 300, "kind");

		MetricWindow.Step first = window.observe(400, Instant.ofEpochMilli(T0), 2000.0, () -> kind, this.settings);
		MetricWindow.Step second = window.observe(400, Instant.ofEpochMilli(T0 + 10_000), 2000.0, () -> kind,
				this.settings);
		MetricWindow.Step alone = new MetricWindow("lonely", WatchedMetric.RESPONSE_TIME_MS).observe(400,
				Instant.ofEpochMilli(T0), 2000.0, () -> null, this.settings);

		assertThat(first.baseline().from()).isEqualTo("kind");
		assertThat(second.anomaly()).isTrue();
		assertThat(alone.baseline()).isNull();
		assertThat(alone.anomaly()).isFalse();
	}

	@Test
	void aLeakIsPredictedOnceWellBeforeAndComesTrueWhenItReachesTheLimit() {
		MetricWindow window = new MetricWindow("leaky", WatchedMetric.MEMORY);
		Random random = new Random(5);
		List<Long> predictedAt = new ArrayList<>();
		String ended = null;
		long endedAt = 0;
		long t = T0;
		for (int i = 0; i < 1000 && ended == null; i++) {
			t += 10_000;
			// 0.4 for 40 min, then rising 0.0002 per second: 0.98 48 min later
			double leak = Math.max(0, i * 10 - 2400) * 0.0002;
			MetricWindow.Step step = observe(window, 0.4 + leak + 0.005 * random.nextGaussian(), t, 0.98);
			if (step.predicted() != null) {
				predictedAt.add(t);
				assertThat(step.predicted().confidence()).isGreaterThanOrEqualTo(0.7);
			}
			ended = step.ended();
			endedAt = t;
		}

		assertThat(predictedAt).hasSize(1);
		assertThat(predictedAt.get(0)).as("predicted after the leak began").isGreaterThan(T0 + 2_400_000);
		assertThat(ended).isEqualTo("came_true");
		assertThat(endedAt - predictedAt.get(0)).as("lead before the failure").isGreaterThan(15 * 60_000);
		assertThat(window.predictedSince).isNull();
	}

	@Test
	void aGcSawtoothThatRisesForTwentyMinutesAndFallsBackIsNoLastingTrend() {
		MetricWindow window = new MetricWindow("collected", WatchedMetric.MEMORY);
		Random random = new Random(8);
		long t = T0;
		int predictions = 0;
		for (int i = 0; i < 6 * 360; i++) {
			double minute = i / 6.0;
			// 0.6 to 0.85 over 20 minutes, then collected
			MetricWindow.Step step = observe(window, 0.6 + 0.25 * ((minute % 20) / 20) + 0.005 * random.nextGaussian(),
					t += 10_000, 0.98);
			predictions += (step.predicted() != null) ? 1 : 0;
		}

		assertThat(predictions).isZero();
		assertThat(window.buckets).hasSize(this.settings.history());
	}

	@Test
	void aLeakThatARestartEndsLapsesAtOnceAndStartsAFreshWindow() {
		MetricWindow window = new MetricWindow("restarted", WatchedMetric.MEMORY);
		long t = T0;
		int i = 0;
		while (window.predictedSince == null && i < 1000) {
			observe(window, 0.4 + 0.0002 * (i++ * 10), t += 10_000, 0.98);
		}
		assertThat(window.predictedSince).isNotNull();

		MetricWindow.Step restart = observe(window, 0.4, t += 10_000, 0.98);

		assertThat(restart.ended()).isEqualTo("lapsed");
		assertThat(window.values).containsExactly(0.4);
		assertThat(window.predictedSince).isNull();
	}

	@Test
	void aPredictionWhoseTrendStopsLapsesAfterItsHeartbeatsInARow() {
		MetricWindow window = new MetricWindow("levelled", WatchedMetric.QUEUE_DEPTH);
		long t = T0;
		int i = 0;
		while (window.predictedSince == null && i < 1000) {
			observe(window, 10 + 2.0 * i++, t += 10_000, 1000.0);
		}
		assertThat(window.predictedSince).isNotNull();
		double level = 10 + 2.0 * i;

		List<String> ended = new ArrayList<>();
		for (int j = 0; j < 360 && ended.isEmpty(); j++) {
			MetricWindow.Step step = observe(window, level, t += 10_000, 1000.0);
			if (step.ended() != null) {
				ended.add(step.ended());
			}
		}

		assertThat(ended).containsExactly("lapsed");
	}

	private MetricWindow.Step observe(MetricWindow window, double value, long at, Double limit) {
		return window.observe(value, Instant.ofEpochMilli(at), limit, () -> null, this.settings);
	}

	private static long[] times(int n, long everyMs) {
		long[] at = new long[n];
		for (int i = 0; i < n; i++) {
			at[i] = T0 + i * everyMs;
		}
		return at;
	}

}
