package io.rebound.agents;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rebound.agents.AnomalyDetector.Baseline;
import io.rebound.agents.FailurePredictor.Prediction;
import io.rebound.shared.Timestamps;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Watches the metrics heartbeats report, per agent and metric, inside the heartbeats'
 * transaction: loads each agent's {@link MetricWindow}s, lets them judge the new values,
 * stores them, stores predictions and how they ended, and publishes
 * {@link AnomalyDetected} and {@link FailurePredicted}.
 */
@Component
class MetricWatch {

	/**
	 * A heartbeat applied to an agent's health, with the limits it was judged against.
	 */
	record Observed(Heartbeat beat, AgentsProperties.Resources limits) {
	}

	private static final Duration KIND_BASELINE_AGE = Duration.ofSeconds(30);

	private final JdbcTemplate jdbc;

	private final AgentsProperties.Foresight settings;

	private final AgentsProperties.Heartbeat heartbeat;

	private final ApplicationEventPublisher events;

	private final MeterRegistry meters;

	private final Map<String, KindBaselines> kinds = new ConcurrentHashMap<>();

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	MetricWatch(JdbcTemplate jdbc, AgentsProperties properties, ApplicationEventPublisher events,
			MeterRegistry meters) {
		this.jdbc = jdbc;
		this.settings = properties.foresight();
		this.heartbeat = properties.heartbeat();
		this.events = events;
		this.meters = meters;
		// every series from the start, so dashboards and alerts find them before the
		// first
		for (WatchedMetric metric : WatchedMetric.values()) {
			counter("rebound.agents.anomalies", "metric", metric.wire);
		}
		for (String outcome : List.of("predicted", "came_true", "lapsed")) {
			counter("rebound.agents.predictions", "outcome", outcome);
		}
	}

	/** Heartbeats in the order they were applied, inside their transaction. */
	void observe(List<Observed> beats) {
		if (!this.settings.enabled() || beats.stream()
			.noneMatch(
					(o) -> java.util.Arrays.stream(WatchedMetric.values()).anyMatch((m) -> m.of(o.beat()) != null))) {
			return; // nothing to watch: no reads or writes for heartbeats that report no
					// metric
		}
		String[] ids = beats.stream().map((o) -> o.beat().agentId()).distinct().toArray(String[]::new);
		Map<String, String> kindOf = new HashMap<>();
		Map<String, String> policyOf = new HashMap<>();
		this.jdbc.query("SELECT id, kind, policy FROM agents WHERE id = ANY (?)",
				(org.springframework.jdbc.core.RowCallbackHandler) (rs) -> {
					kindOf.put(rs.getString(1), rs.getString(2));
					policyOf.put(rs.getString(1), rs.getString(3));
				}, (Object) ids);
		Map<String, Map<WatchedMetric, MetricWindow>> windows = new HashMap<>();
		this.jdbc.query("""
				SELECT agent_id, metric, at_ms, samples, bucket_at_ms, buckets, anomalous, prediction_id,
				       predicted_since, unpredicted
				FROM agent_metric_windows WHERE agent_id = ANY (?)
				""", (ResultSet rs) -> {
			MetricWindow window = read(rs);
			windows.computeIfAbsent(window.agentId, (k) -> new EnumMap<>(WatchedMetric.class))
				.put(window.metric, window);
		}, (Object) ids);
		java.util.Set<MetricWindow> changed = new java.util.LinkedHashSet<>();
		for (Observed observed : beats) {
			Heartbeat beat = observed.beat();
			for (WatchedMetric metric : WatchedMetric.values()) {
				Double value = metric.of(beat);
				if (value == null || !Double.isFinite(value)) {
					continue;
				}
				Map<WatchedMetric, MetricWindow> own = windows.computeIfAbsent(beat.agentId(),
						(k) -> new EnumMap<>(WatchedMetric.class));
				MetricWindow window = own.get(metric);
				if (window == null) {
					window = new MetricWindow(beat.agentId(), metric);
					own.put(metric, window);
				}
				changed.add(window);
				judge(window, kindOf.get(beat.agentId()), value, beat.at(),
						metric.limit(this.heartbeat, observed.limits()),
						this.settings.forPolicy(policyOf.get(beat.agentId())));
			}
		}
		save(List.copyOf(changed));
	}

	private void judge(MetricWindow window, String kind, double value, Instant at, Double limit,
			AgentsProperties.Foresight settings) {
		Long inForce = window.predictionId;
		MetricWindow.Step step = window.observe(value, at, limit, () -> kindBaseline(kind, window.metric), settings);
		if (step.anomaly()) {
			Baseline baseline = step.baseline();
			counter("rebound.agents.anomalies", "metric", window.metric.wire).increment();
			this.events.publishEvent(new AnomalyDetected(window.agentId, window.metric.wire, value, baseline.median(),
					baseline.mad(), step.score(), baseline.from(), at));
		}
		if (step.ended() != null) {
			this.jdbc.update(
					"UPDATE agent_predictions SET outcome = ?, outcome_at = ? WHERE id = ? AND outcome = 'pending'",
					step.ended(), Timestamp.from(at), inForce);
			window.predictionId = null;
			counter("rebound.agents.predictions", "outcome", step.ended()).increment();
		}
		if (step.predicted() != null) {
			Prediction p = step.predicted();
			window.predictionId = this.jdbc.queryForObject("""
					INSERT INTO agent_predictions (agent_id, metric, predicted_at, value, limit_value,
					                               slope_per_second, crosses_at, confidence)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
					""", Long.class, window.agentId, window.metric.wire, Timestamp.from(at), p.value(), p.limit(),
					p.slopePerSecond(), Timestamp.from(p.crossesAt()), p.confidence());
			counter("rebound.agents.predictions", "outcome", "predicted").increment();
			this.events.publishEvent(new FailurePredicted(window.predictionId, window.agentId, window.metric.wire,
					p.value(), p.limit(), p.slopePerSecond(), p.crossesAt(), p.confidence(), at));
		}
	}

	private Counter counter(String name, String tag, String value) {
		return this.counters.computeIfAbsent(name + "/" + value,
				(k) -> Counter.builder(name)
					.description(name.endsWith("anomalies") ? "Anomalies reported, by metric"
							: "Failure predictions made (predicted) and how they ended (came_true, lapsed)")
					.tag(tag, value)
					.register(this.meters));
	}

	/**
	 * The baseline of the agents of a kind that have enough values of their own (the
	 * median of their medians and of their MADs), learned again at most every 30 s;
	 * {@code null} when none has.
	 */
	private Baseline kindBaseline(String kind, WatchedMetric metric) {
		if (kind == null) {
			return null;
		}
		Instant now = Instant.now();
		KindBaselines known = this.kinds.get(kind);
		if (known == null || known.at().plus(KIND_BASELINE_AGE).isBefore(now)) {
			Map<WatchedMetric, List<Baseline>> byMetric = new EnumMap<>(WatchedMetric.class);
			this.jdbc.query("""
					SELECT w.metric, w.samples FROM agent_metric_windows w JOIN agents a ON a.id = w.agent_id
					WHERE a.kind = ? AND cardinality(w.samples) >= ?
					LIMIT 5000
					""", (ResultSet rs) -> {
				byMetric.computeIfAbsent(WatchedMetric.fromWire(rs.getString(1)), (m) -> new ArrayList<>())
					.add(AnomalyDetector.baseline(doubles(rs.getArray(2)), "agent"));
			}, kind, this.settings.minSamples());
			Map<WatchedMetric, Baseline> baselines = new EnumMap<>(WatchedMetric.class);
			byMetric.forEach((m, list) -> baselines.put(m, AnomalyDetector.ofKind(list)));
			known = new KindBaselines(now, baselines);
			this.kinds.put(kind, known);
		}
		return known.baselines().get(metric);
	}

	private record KindBaselines(Instant at, Map<WatchedMetric, Baseline> baselines) {
	}

	private void save(List<MetricWindow> windows) {
		if (windows.isEmpty()) {
			return;
		}
		this.jdbc.batchUpdate("""
				INSERT INTO agent_metric_windows (agent_id, metric, at_ms, samples, anomalous, prediction_id,
				                                  predicted_since, unpredicted, bucket_at_ms, buckets)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (agent_id, metric) DO UPDATE SET at_ms = excluded.at_ms, samples = excluded.samples,
				    bucket_at_ms = excluded.bucket_at_ms, buckets = excluded.buckets,
				    anomalous = excluded.anomalous, prediction_id = excluded.prediction_id,
				    predicted_since = excluded.predicted_since, unpredicted = excluded.unpredicted
				""", windows, windows.size(), (ps, w) -> {
			ps.setString(1, w.agentId);
			ps.setString(2, w.metric.wire);
			ps.setArray(3, ps.getConnection().createArrayOf("bigint", Arrays.stream(w.at).boxed().toArray()));
			ps.setArray(4, ps.getConnection().createArrayOf("float8", Arrays.stream(w.values).boxed().toArray()));
			ps.setInt(5, w.anomalous);
			ps.setObject(6, w.predictionId);
			ps.setTimestamp(7, (w.predictedSince != null) ? Timestamp.from(w.predictedSince) : null);
			ps.setInt(8, w.unpredicted);
			ps.setArray(9, ps.getConnection().createArrayOf("bigint", Arrays.stream(w.bucketAt).boxed().toArray()));
			ps.setArray(10, ps.getConnection().createArrayOf("float8", Arrays.stream(w.buckets).boxed().toArray()));
		});
	}

	private static MetricWindow read(ResultSet rs) throws SQLException {
		MetricWindow window = new MetricWindow(rs.getString("agent_id"),
				WatchedMetric.fromWire(rs.getString("metric")));
		window.at = longs(rs.getArray("at_ms"));
		window.values = doubles(rs.getArray("samples"));
		window.bucketAt = longs(rs.getArray("bucket_at_ms"));
		window.buckets = doubles(rs.getArray("buckets"));
		window.anomalous = rs.getInt("anomalous");
		window.predictionId = rs.getObject("prediction_id", Long.class);
		window.predictedSince = Timestamps.instant(rs.getTimestamp("predicted_since"));
		window.unpredicted = rs.getInt("unpredicted");
		return window;
	}

	private static long[] longs(Array array) throws SQLException {
		return Arrays.stream((Object[]) array.getArray()).mapToLong((v) -> ((Number) v).longValue()).toArray();
	}

	private static double[] doubles(Array array) throws SQLException {
		Object[] values = (Object[]) array.getArray();
		double[] out = new double[values.length];
		for (int i = 0; i < values.length; i++) {
			out[i] = ((Number) values[i]).doubleValue();
		}
		return out;
	}

}
