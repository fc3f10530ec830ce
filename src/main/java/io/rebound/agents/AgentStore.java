package io.rebound.agents;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rebound.shared.Timestamps;
import io.rebound.agents.AgentHealthChanged.Cause;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Agents' health rows: locked, read and written by the heartbeat listener and the
 * sweeper, and the history of transitions.
 */
@Component
class AgentStore {

	private static final String HEALTH_COLUMNS = "id, state, state_since, last_heartbeat_at, interval_ms, good_streak, "
			+ "missed, recent_response_ms, probe_failures";

	private final JdbcTemplate jdbc;

	AgentStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Registers with defaults the agents not known yet, as their heartbeats or events
	 * name them.
	 */
	void registerUnknown(Collection<String> ids, String registeredBy) {
		this.jdbc.update("""
				INSERT INTO agents (id, registered_by) SELECT unnest(?::text[]), ? ORDER BY 1
				ON CONFLICT (id) DO NOTHING
				""", ids.toArray(String[]::new), registeredBy);
	}

	/**
	 * Locks the agents' rows for this transaction and reads their health, in id order.
	 */
	Map<String, AgentHealth> lockHealth(Collection<String> ids) {
		Map<String, AgentHealth> health = new LinkedHashMap<>();
		this.jdbc.query("SELECT " + HEALTH_COLUMNS + " FROM agents WHERE id = ANY(?) ORDER BY id FOR UPDATE", (rs) -> {
			health.put(rs.getString("id"), health(rs));
		}, (Object) ids.toArray(String[]::new));
		return health;
	}

	/** The kind and policy tier of each of these agents, by id. */
	Map<String, String[]> kindsAndPolicies(Collection<String> ids) {
		Map<String, String[]> found = new LinkedHashMap<>();
		this.jdbc.query("SELECT id, kind, policy FROM agents WHERE id = ANY(?)", (rs) -> {
			found.put(rs.getString("id"), new String[] { rs.getString("kind"), rs.getString("policy") });
		}, (Object) ids.toArray(String[]::new));
		return found;
	}

	/**
	 * Locks, skipping rows another instance holds, the watched agents whose next
	 * heartbeat is overdue by {@code now}.
	 */
	Map<String, AgentHealth> lockOverdue(Instant now, long defaultIntervalMs, long toleranceMs, int limit) {
		Map<String, AgentHealth> overdue = new LinkedHashMap<>();
		this.jdbc.query("SELECT " + HEALTH_COLUMNS + """
				 FROM agents
				WHERE state IN ('healthy', 'degraded', 'critical') AND last_heartbeat_at IS NOT NULL
				  AND (quiet_until IS NULL OR quiet_until <= ?)
				  AND last_heartbeat_at + (coalesce(interval_ms, ?) * (missed + 1)
				      + least(?, coalesce(interval_ms, ?) / 2)) * interval '1 millisecond' <= ?
				ORDER BY last_heartbeat_at LIMIT ? FOR UPDATE SKIP LOCKED
				""", (rs) -> {
			overdue.put(rs.getString("id"), health(rs));
		}, Timestamp.from(now), defaultIntervalMs, toleranceMs, defaultIntervalMs, Timestamp.from(now), limit);
		return overdue;
	}

	void saveHealth(String id, AgentHealth health, String reason, String metricsJson) {
		this.jdbc.update("""
				UPDATE agents SET state = ?, state_since = ?, state_reason = coalesce(?, state_reason),
				       last_heartbeat_at = ?, interval_ms = ?, good_streak = ?, missed = ?, recent_response_ms = ?,
				       last_metrics = coalesce(?::jsonb, last_metrics), probe_failures = ?,
				       quiet_until = CASE WHEN ?::timestamptz > quiet_since THEN NULL ELSE quiet_until END
				WHERE id = ?
				""", health.state().wire(), Timestamp.from(health.since()), reason, timestamp(health.lastHeartbeat()),
				health.intervalMs(), health.goodStreak(), health.missed(),
				health.recentResponseMs().toArray(Double[]::new), metricsJson, health.probeFailures(),
				timestamp(health.lastHeartbeat()), id);
	}

	/**
	 * A probe target: an agent whose probe is due.
	 *
	 * @param id the agent
	 * @param healthUrl where to probe
	 */
	record ProbeTarget(String id, String healthUrl) {
	}

	/**
	 * Claims the agents whose probe is due, moving their next probe {@code interval}
	 * ahead, so that with several instances each agent is probed by one of them.
	 */
	List<ProbeTarget> claimProbes(Instant now, java.time.Duration interval, int limit) {
		return this.jdbc.query("""
				UPDATE agents SET next_probe_at = ? WHERE id IN (
				    SELECT id FROM agents
				    WHERE health_url IS NOT NULL AND state <> 'stopped' AND next_probe_at <= ?
				      AND (quiet_until IS NULL OR quiet_until <= ?)
				    ORDER BY next_probe_at LIMIT ? FOR UPDATE SKIP LOCKED)
				RETURNING id, health_url
				""", (rs, n) -> new ProbeTarget(rs.getString(1), rs.getString(2)), Timestamp.from(now.plus(interval)),
				Timestamp.from(now), Timestamp.from(now), limit);
	}

	List<ProbeTarget> allProbeTargets() {
		return this.jdbc.query("SELECT id, health_url FROM agents WHERE health_url IS NOT NULL AND state <> 'stopped'",
				(rs, n) -> new ProbeTarget(rs.getString(1), rs.getString(2)));
	}

	void saveProbe(ProbeResult probe) {
		this.jdbc.update("""
				UPDATE agents SET last_probe_at = ?, last_probe_ok = ?, last_probe_ms = ?, last_probe_error = ?
				WHERE id = ?
				""", Timestamp.from(probe.at()), probe.ok(), probe.latencyMs(), probe.error(), probe.agentId());
	}

	long recordTransition(String id, HealthState from, HealthState to, Cause cause, String reason, Instant at) {
		return this.jdbc.queryForObject("""
				INSERT INTO agent_health_history (agent_id, from_state, to_state, cause, reason, at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id
				""", Long.class, id, from.wire(), to.wire(), cause.name().toLowerCase(), reason, Timestamp.from(at));
	}

	private static AgentHealth health(ResultSet rs) throws SQLException {
		Array recent = rs.getArray("recent_response_ms");
		List<Double> responses = (recent != null) ? Arrays.asList((Double[]) recent.getArray()) : List.of();
		return new AgentHealth(HealthState.fromWire(rs.getString("state")), rs.getTimestamp("state_since").toInstant(),
				Timestamps.instant(rs.getTimestamp("last_heartbeat_at")), rs.getObject("interval_ms", Long.class),
				rs.getInt("good_streak"), rs.getInt("missed"), List.copyOf(responses), rs.getInt("probe_failures"));
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

}
