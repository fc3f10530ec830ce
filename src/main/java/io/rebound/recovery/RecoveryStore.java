package io.rebound.recovery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recovery's tables: runs, attempts and the kill switch. Callers bring the transaction.
 */
@Component
class RecoveryStore {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * A recovery run: one per incident.
	 *
	 * @param id the run
	 * @param incidentId its incident
	 * @param target the agent it recovers
	 * @param status {@code running}, {@code waiting_person}, {@code succeeded},
	 * {@code cancelled}
	 * @param level the ladder's level now
	 * @param phase {@code act} (the next step carries the level's action out) or
	 * {@code verify} (the next step checks the last action worked)
	 * @param nextAt when the next step is due
	 * @param attemptId the attempt being verified, or {@code null}
	 * @param reason why it stands where it stands
	 * @param startedAt when it started
	 * @param endedAt when it ended, or {@code null}
	 */
	record Run(UUID id, UUID incidentId, String target, String status, int level, String phase, Instant nextAt,
			UUID attemptId, String reason, Instant startedAt, Instant endedAt) {
	}

	/**
	 * One attempt.
	 *
	 * @param id the attempt
	 * @param runId its run
	 * @param incidentId its incident
	 * @param target the agent
	 * @param level its level
	 * @param strategy the strategy
	 * @param executor how it was carried out
	 * @param startedAt when
	 * @param endedAt when it was judged, or {@code null}
	 * @param outcome {@code succeeded}, {@code failed}, {@code action_failed}, or
	 * {@code null} while verifying
	 * @param evidence what the judgement rests on
	 */
	record Attempt(UUID id, UUID runId, UUID incidentId, String target, int level, String strategy, String executor,
			Instant startedAt, Instant endedAt, String outcome, JsonNode evidence) {
	}

	private final JdbcTemplate jdbc;

	RecoveryStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	void start(UUID incidentId, String target, int level, boolean person, String reason) {
		this.jdbc.update("""
				INSERT INTO recovery_runs (id, incident_id, target, status, level, phase, next_at, reason)
				VALUES (?, ?, ?, ?, ?, 'act', now(), ?) ON CONFLICT (incident_id) DO NOTHING
				""", UUID.randomUUID(), incidentId, target, person ? "waiting_person" : "running", level, reason);
	}

	List<UUID> due(int limit) {
		return this.jdbc.queryForList("""
				SELECT id FROM recovery_runs WHERE status = 'running' AND next_at <= now() ORDER BY next_at LIMIT ?
				""", UUID.class, limit);
	}

	Optional<Run> lockDue(UUID id) {
		return this.jdbc.query("""
				SELECT * FROM recovery_runs WHERE id = ? AND status = 'running' AND next_at <= now()
				FOR UPDATE SKIP LOCKED
				""", RecoveryStore::run, id).stream().findFirst();
	}

	Optional<Run> find(UUID id) {
		return this.jdbc.query("SELECT * FROM recovery_runs WHERE id = ?", RecoveryStore::run, id).stream().findFirst();
	}

	Optional<Run> forIncident(UUID incidentId) {
		return this.jdbc.query("SELECT * FROM recovery_runs WHERE incident_id = ?", RecoveryStore::run, incidentId)
			.stream()
			.findFirst();
	}

	void next(UUID run, int level, String phase, Duration in, UUID attemptId, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET level = ?, phase = ?, next_at = now() + ? * interval '1 millisecond',
				    attempt_id = ?, reason = ?, updated_at = now() WHERE id = ?
				""", level, phase, in.toMillis(), attemptId, reason, run);
	}

	void end(UUID run, String status, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET status = ?, reason = ?, updated_at = now(),
				    ended_at = CASE WHEN ? IN ('succeeded', 'cancelled') THEN now() ELSE ended_at END
				WHERE id = ?
				""", status, reason, status, run);
	}

	void cancel(UUID incidentId, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET status = 'cancelled', reason = ?, updated_at = now(), ended_at = now()
				WHERE incident_id = ? AND status IN ('running', 'waiting_person')
				""", reason, incidentId);
	}

	UUID attempt(Run run, String strategy, String executor) {
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				INSERT INTO recovery_attempts (id, run_id, incident_id, target, level, strategy, executor)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				""", id, run.id(), run.incidentId(), run.target(), run.level(), strategy, executor);
		return id;
	}

	void judge(UUID attempt, String outcome, Object evidence) {
		this.jdbc.update("UPDATE recovery_attempts SET outcome = ?, evidence = ?::jsonb, ended_at = now() WHERE id = ?",
				outcome, JSON.writeValueAsString(evidence), attempt);
	}

	Optional<Attempt> attemptById(UUID id) {
		return this.jdbc.query("SELECT * FROM recovery_attempts WHERE id = ?", RecoveryStore::attempt, id)
			.stream()
			.findFirst();
	}

	List<Attempt> attempts(UUID run) {
		return this.jdbc.query("SELECT * FROM recovery_attempts WHERE run_id = ? ORDER BY started_at, id",
				RecoveryStore::attempt, run);
	}

	List<Attempt> history(String target, int limit) {
		return (target != null)
				? this.jdbc.query("SELECT * FROM recovery_attempts WHERE target = ? ORDER BY started_at DESC LIMIT ?",
						RecoveryStore::attempt, target, limit)
				: this.jdbc.query("SELECT * FROM recovery_attempts ORDER BY started_at DESC LIMIT ?",
						RecoveryStore::attempt, limit);
	}

	/** Actions of level 3 or more on this agent since the given time. */
	int heavyActionsSince(String target, Instant since) {
		Integer count = this.jdbc.queryForObject("""
				SELECT count(*) FROM recovery_attempts WHERE target = ? AND level >= 3 AND started_at >= ?
				  AND outcome IS DISTINCT FROM 'action_failed'
				""", Integer.class, target, Timestamp.from(since));
		return (count != null) ? count : 0;
	}

	void throttle(UUID run, Duration wait, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET throttled = throttled + 1, next_at = now() + ? * interval '1 millisecond',
				    reason = ?, updated_at = now() WHERE id = ?
				""", wait.toMillis(), reason, run);
	}

	/** Puts runs back to the start of their ladder, due now; {@code null}s match all. */
	int reset(UUID incidentId, String target) {
		return this.jdbc.update("""
				UPDATE recovery_runs SET level = 1, phase = 'act', next_at = now(), attempt_id = NULL, throttled = 0,
				    status = 'running', reason = 'reset by an operator', updated_at = now()
				WHERE status IN ('running', 'waiting_person') AND (?::uuid IS NULL OR incident_id = ?)
				  AND (?::text IS NULL OR target = ?)
				""", incidentId, incidentId, target, target);
	}

	boolean paused() {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT paused FROM recovery_switch", Boolean.class));
	}

	void pause(boolean paused, String by) {
		this.jdbc.update("UPDATE recovery_switch SET paused = ?, paused_by = ?, paused_at = now()", paused, by);
	}

	private static Run run(ResultSet rs, int n) throws SQLException {
		return new Run(rs.getObject("id", UUID.class), rs.getObject("incident_id", UUID.class), rs.getString("target"),
				rs.getString("status"), rs.getInt("level"), rs.getString("phase"),
				rs.getTimestamp("next_at").toInstant(), rs.getObject("attempt_id", UUID.class), rs.getString("reason"),
				rs.getTimestamp("started_at").toInstant(), instant(rs.getTimestamp("ended_at")));
	}

	private static Attempt attempt(ResultSet rs, int n) throws SQLException {
		return new Attempt(rs.getObject("id", UUID.class), rs.getObject("run_id", UUID.class),
				rs.getObject("incident_id", UUID.class), rs.getString("target"), rs.getInt("level"),
				rs.getString("strategy"), rs.getString("executor"), rs.getTimestamp("started_at").toInstant(),
				instant(rs.getTimestamp("ended_at")), rs.getString("outcome"), JSON.readTree(rs.getString("evidence")));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
