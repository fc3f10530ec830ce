package io.rebound.agents;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The agents feature's summary for diagnostics: how many agents are in each state, the
 * worst of them first, and probing them all now.
 */
@Component
public class AgentOverview {

	/**
	 * An agent in trouble.
	 *
	 * @param id the agent
	 * @param state its state
	 * @param since since when
	 * @param reason why
	 * @param criticality how much it matters
	 */
	public record Troubled(String id, HealthState state, Instant since, String reason, String criticality) {
	}

	/**
	 * Where the log scanner stands in one file.
	 *
	 * @param path the file
	 * @param position bytes read
	 * @param suppressed blocks over the rate limit so far
	 * @param updatedAt when it last moved
	 */
	public record LogPosition(String path, long position, long suppressed, Instant updatedAt) {
	}

	private final JdbcTemplate jdbc;

	private final AgentStore store;

	private final HealthProber prober;

	private final HealthTracker tracker;

	private final LogPositions logPositions;

	AgentOverview(JdbcTemplate jdbc, AgentStore store, HealthProber prober, HealthTracker tracker,
			LogPositions logPositions) {
		this.jdbc = jdbc;
		this.logPositions = logPositions;
		this.store = store;
		this.prober = prober;
		this.tracker = tracker;
	}

	public List<LogPosition> logPositions() {
		return this.logPositions.all()
			.stream()
			.map((p) -> new LogPosition(p.path(), p.position(), p.suppressed(), p.updatedAt()))
			.toList();
	}

	/**
	 * Seconds since the oldest last heartbeat among agents expected to heartbeat; 0
	 * without any.
	 */
	public double oldestHeartbeatAgeSeconds() {
		Double age = this.jdbc.queryForObject("""
				SELECT coalesce(extract(epoch FROM now() - min(last_heartbeat_at)), 0) FROM agents
				WHERE state IN ('healthy', 'degraded', 'critical') AND last_heartbeat_at IS NOT NULL
				""", Double.class);
		return (age != null) ? age : 0;
	}

	/**
	 * An agent whose clock is off.
	 *
	 * @param id the agent
	 * @param skewMs the median of received − occurred over its recent events (positive:
	 * its clock is behind)
	 * @param measuredAt when
	 */
	public record Skewed(String id, long skewMs, Instant measuredAt) {
	}

	/** Agents whose clocks are off by more than {@code thresholdMs}, the worst first. */
	public List<Skewed> clockSkewed(long thresholdMs, int limit) {
		return this.jdbc.query("""
				SELECT id, clock_skew_ms, clock_skew_at FROM agents WHERE abs(clock_skew_ms) > ?
				ORDER BY abs(clock_skew_ms) DESC, id LIMIT ?
				""", (rs, n) -> new Skewed(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()), thresholdMs,
				limit);
	}

	/** How many agents' clocks are off by more than {@code thresholdMs}. */
	public long countClockSkewed(long thresholdMs) {
		Long count = this.jdbc.queryForObject("SELECT count(*) FROM agents WHERE abs(clock_skew_ms) > ?", Long.class,
				thresholdMs);
		return (count != null) ? count : 0;
	}

	public Map<HealthState, Long> countByState() {
		Map<HealthState, Long> counts = new EnumMap<>(HealthState.class);
		this.jdbc.query("SELECT state, count(*) FROM agents GROUP BY state", (rs) -> {
			counts.put(HealthState.fromWire(rs.getString(1)), rs.getLong(2));
		});
		return counts;
	}

	/**
	 * Failed first, then critical, then degraded; the more critical agents first within
	 * each.
	 */
	public List<Troubled> worst(int limit) {
		return this.jdbc.query(
				"""
						SELECT id, state, state_since, state_reason, criticality FROM agents
						WHERE state IN ('failed', 'critical', 'degraded')
						ORDER BY CASE state WHEN 'failed' THEN 0 WHEN 'critical' THEN 1 ELSE 2 END,
						         CASE criticality WHEN 'essential' THEN 0 WHEN 'critical' THEN 1 WHEN 'important' THEN 2 ELSE 3 END,
						         state_since
						LIMIT ?
						""",
				(rs, n) -> new Troubled(rs.getString(1), HealthState.fromWire(rs.getString(2)),
						rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)),
				limit);
	}

	/**
	 * Probes every agent with a {@code health_url} now, whatever its schedule, and
	 * applies the answers.
	 * @return how many were probed
	 */
	public int probeAllNow() {
		List<AgentStore.ProbeTarget> targets = this.store.allProbeTargets();
		if (!targets.isEmpty()) {
			this.tracker.probes(this.prober.probe(targets));
		}
		return targets.size();
	}

}
