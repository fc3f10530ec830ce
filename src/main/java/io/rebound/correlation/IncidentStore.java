package io.rebound.correlation;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rebound.shared.Timestamps;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/** The incidents' tables, in plain SQL; callers bring the transaction. */
@Component
class IncidentStore {

	private static final JsonMapper JSON = RuleRepository.JSON;

	static final RowMapper<IncidentRow> ROW = IncidentStore::row;

	private final JdbcTemplate jdbc;

	IncidentStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Serializes correlation across instances for the current transaction; false if busy.
	 */
	boolean tryLock() {
		return Boolean.TRUE
			.equals(this.jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(4711001)", Boolean.class));
	}

	/** Waits for correlation's lock for the current transaction. */
	void lock() {
		this.jdbc.queryForObject("SELECT pg_advisory_xact_lock(4711001)::text", String.class);
	}

	Optional<IncidentRow> find(UUID id) {
		return this.jdbc.query("SELECT * FROM incidents WHERE id = ?", ROW, id).stream().findFirst();
	}

	Optional<IncidentRow> lockById(UUID id) {
		return this.jdbc.query("SELECT * FROM incidents WHERE id = ? FOR UPDATE", ROW, id).stream().findFirst();
	}

	Optional<IncidentRow> activeByKey(String key) {
		return this.jdbc
			.query("SELECT * FROM incidents WHERE correlation_key = ? AND status IN ('open', 'mitigating')", ROW, key)
			.stream()
			.findFirst();
	}

	List<IncidentRow> active() {
		return this.jdbc.query("SELECT * FROM incidents WHERE status IN ('open', 'mitigating') ORDER BY opened_at",
				ROW);
	}

	/** Active incidents with no activity since the given time. */
	List<IncidentRow> quietSince(Instant since) {
		return this.jdbc.query(
				"SELECT * FROM incidents WHERE status IN ('open', 'mitigating') AND last_activity_at < ? FOR UPDATE",
				ROW, Timestamp.from(since));
	}

	void insert(IncidentRow incident, Map<String, Object> reason) {
		this.jdbc.update("""
				INSERT INTO incidents (id, status, kind, correlation_key, title, severity, cause, rule_id, error_class,
				                       recovery, root_agent, root_error_id, root_path, reason, previous_incident_id,
				                       opened_at, last_activity_at)
				VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
				""", incident.id(), incident.kind(), incident.key(), incident.title(), incident.severity(),
				incident.cause(), incident.ruleId(), incident.errorClass(), incident.recovery(), incident.rootAgent(),
				incident.rootErrorId(), incident.rootPath().toArray(String[]::new), JSON.writeValueAsString(reason),
				incident.previousIncidentId(), Timestamp.from(incident.openedAt()),
				Timestamp.from(incident.lastActivityAt()));
	}

	/** Recounts errors and agents, raises the severity, and notes the latest activity. */
	void refresh(UUID incidentId, String severity, Instant activity) {
		this.jdbc.update("""
				UPDATE incidents i SET error_count = c.errors, source_count = c.sources,
				    severity = CASE WHEN severity_rank(?) > severity_rank(i.severity) THEN ? ELSE i.severity END,
				    last_activity_at = greatest(i.last_activity_at, ?), updated_at = now()
				FROM (SELECT count(*) AS errors, count(DISTINCT source) AS sources FROM incident_errors
				      WHERE incident_id = ? AND current) c
				WHERE i.id = ?
				""", severity, severity, Timestamp.from(activity), incidentId, incidentId);
	}

	/**
	 * Raises severities and notes the latest activity of many incidents in one statement,
	 * for incidents whose errors had news but none joined or left.
	 */
	void touch(List<UUID> ids, List<String> severities, List<Instant> activity) {
		if (ids.isEmpty()) {
			return;
		}
		this.jdbc.update(
				"""
						UPDATE incidents i SET
						    severity = CASE WHEN severity_rank(u.severity) > severity_rank(i.severity) THEN u.severity
						                    ELSE i.severity END,
						    last_activity_at = greatest(i.last_activity_at, u.at), updated_at = now()
						FROM unnest(?::uuid[], ?::text[], ?::timestamptz[]) AS u(id, severity, at)
						WHERE i.id = u.id AND (severity_rank(u.severity) > severity_rank(i.severity) OR u.at > i.last_activity_at)
						""",
				ids.toArray(UUID[]::new), severities.toArray(String[]::new),
				activity.stream().map(Timestamp::from).toArray(Timestamp[]::new));
	}

	void setRoot(UUID incidentId, String agent, UUID rootErrorId, List<String> path, String title) {
		this.jdbc.update("""
				UPDATE incidents SET root_agent = ?, root_error_id = ?, root_path = ?, title = ?, updated_at = now()
				WHERE id = ?
				""", agent, rootErrorId, path.toArray(String[]::new), title, incidentId);
	}

	void setStatus(UUID incidentId, IncidentStatus status, String by, String note) {
		switch (status) {
			case RESOLVED -> this.jdbc.update("""
					UPDATE incidents SET status = 'resolved', resolved_at = now(), resolved_by = ?,
					    note = coalesce(?, note), updated_at = now() WHERE id = ?
					""", by, note, incidentId);
			case CLOSED -> this.jdbc.update("""
					UPDATE incidents SET status = 'closed', closed_at = now(), closed_by = ?,
					    note = coalesce(?, note), updated_at = now() WHERE id = ?
					""", by, note, incidentId);
			default -> this.jdbc.update("UPDATE incidents SET status = ?, updated_at = now() WHERE id = ?",
					status.wire(), incidentId);
		}
	}

	void mergedInto(UUID incidentId, UUID target) {
		this.jdbc.update("UPDATE incidents SET merged_into = ? WHERE id = ?", target, incidentId);
	}

	void timeline(UUID incidentId, String kind, String actor, Map<String, Object> detail) {
		this.jdbc.update("INSERT INTO incident_timeline (incident_id, kind, actor, detail) VALUES (?, ?, ?, ?::jsonb)",
				incidentId, kind, actor, JSON.writeValueAsString(detail));
	}

	private static IncidentRow row(ResultSet rs, int n) throws SQLException {
		return new IncidentRow(rs.getObject("id", UUID.class), IncidentStatus.fromWire(rs.getString("status")),
				rs.getString("kind"), rs.getString("correlation_key"), rs.getString("title"), rs.getString("severity"),
				rs.getString("cause"), rs.getString("rule_id"), rs.getString("error_class"), rs.getString("recovery"),
				rs.getString("root_agent"), rs.getObject("root_error_id", UUID.class),
				strings(rs.getArray("root_path")), rs.getObject("previous_incident_id", UUID.class),
				rs.getObject("merged_into", UUID.class), rs.getInt("error_count"), rs.getInt("source_count"),
				rs.getTimestamp("opened_at").toInstant(), rs.getTimestamp("last_activity_at").toInstant(),
				Timestamps.instant(rs.getTimestamp("resolved_at")));
	}

	static List<String> strings(Array array) throws SQLException {
		return (array != null) ? List.of((String[]) array.getArray()) : List.of();
	}

}
