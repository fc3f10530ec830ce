package io.rebound.recovery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rebound.shared.Timestamps;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recovery attempts: what was tried on which run, how it was chosen, what the calls
 * answered, and the verdict with its evidence. Callers bring the transaction.
 */
@Component
class Attempts {

	private static final JsonMapper JSON = JsonMapper.builder().build();

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
	 * @param timeoutMs the timeout each executor call had
	 * @param durationMs how long the calls took
	 * @param choice why this strategy: every candidate's score
	 */
	record Attempt(UUID id, UUID runId, UUID incidentId, String target, int level, String strategy, String executor,
			Instant startedAt, Instant endedAt, String outcome, JsonNode evidence, Long timeoutMs, Long durationMs,
			JsonNode choice) {
	}

	private final JdbcTemplate jdbc;

	Attempts(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	UUID start(RecoveryStore.Run run, String strategy, String executor, Duration timeout, Object choice,
			java.util.Collection<String> actedOn) {
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				INSERT INTO recovery_attempts (id, run_id, incident_id, target, level, strategy, executor, error_kind,
				    timeout_ms, choice, acted_on)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
				""", id, run.id(), run.incidentId(), run.target(), run.level(), strategy, executor, run.errorKind(),
				timeout.toMillis(), JSON.writeValueAsString(choice), actedOn.toArray(String[]::new));
		return id;
	}

	void judge(UUID attempt, String outcome, Object evidence) {
		this.jdbc.update("UPDATE recovery_attempts SET outcome = ?, evidence = ?::jsonb, ended_at = now() WHERE id = ?",
				outcome, JSON.writeValueAsString(evidence), attempt);
	}

	/** Adds one fact to an attempt's evidence while it is being verified. */
	void note(UUID attempt, String key, String value) {
		this.jdbc.update(
				"""
						UPDATE recovery_attempts SET evidence = coalesce(evidence, '{}'::jsonb) || jsonb_build_object(?::text, ?::text)
						WHERE id = ?
						""",
				key, value, attempt);
	}

	/** The calls were made: how long they took and what they said (judged later). */
	void called(UUID attempt, long durationMs, Object evidence) {
		this.jdbc.update("UPDATE recovery_attempts SET duration_ms = ?, evidence = ?::jsonb WHERE id = ?", durationMs,
				JSON.writeValueAsString(evidence), attempt);
	}

	Optional<Attempt> byId(UUID id) {
		return this.jdbc.query("SELECT * FROM recovery_attempts WHERE id = ?", Attempts::attempt, id)
			.stream()
			.findFirst();
	}

	List<Attempt> ofRun(UUID run) {
		return this.jdbc.query("SELECT * FROM recovery_attempts WHERE run_id = ? ORDER BY started_at, id",
				Attempts::attempt, run);
	}

	/**
	 * Attempts, newest first, filtered ({@code null}s match all), after the cursor (the
	 * last row's start and id).
	 */
	List<Attempt> history(String target, UUID incidentId, Integer level, String strategy, String outcome, Instant since,
			Instant cursorAt, UUID cursorId, int limit) {
		return this.jdbc.query("""
				SELECT * FROM recovery_attempts
				WHERE (?::text IS NULL OR target = ?) AND (?::uuid IS NULL OR incident_id = ?)
				  AND (?::int IS NULL OR level = ?) AND (?::text IS NULL OR strategy = ?)
				  AND (?::text IS NULL OR outcome = ?) AND (?::timestamptz IS NULL OR started_at >= ?)
				  AND (?::timestamptz IS NULL OR (started_at, id) < (?, ?))
				ORDER BY started_at DESC, id DESC LIMIT ?
				""", Attempts::attempt, target, target, incidentId, incidentId, level, level, strategy, strategy,
				outcome, outcome, Timestamps.timestamp(since), Timestamps.timestamp(since),
				Timestamps.timestamp(cursorAt), Timestamps.timestamp(cursorAt), cursorId, limit);
	}

	/**
	 * The strategy of this agent's last verified recovery from this kind of error since
	 * then.
	 */
	Optional<String> lastSuccess(String target, String errorKind, Instant since) {
		return this.jdbc.queryForList("""
				SELECT a.strategy FROM recovery_attempts a JOIN recovery_runs r ON r.id = a.run_id
				WHERE a.target = ? AND a.error_kind = ? AND a.outcome = 'succeeded' AND a.ended_at >= ?
				ORDER BY a.ended_at DESC LIMIT 1
				""", String.class, target, errorKind, Timestamp.from(since)).stream().findFirst();
	}

	/**
	 * Actions of level 3 or more carried out on this agent — by its own runs or by
	 * others' (a restart of their dependencies or group) — since the given time, or since
	 * an operator last reset its counter, whichever is later.
	 */
	int heavyActionsSince(String agent, Instant since) {
		Integer count = this.jdbc.queryForObject("""
				SELECT count(*) FROM recovery_attempts
				WHERE (? = ANY (acted_on) OR (cardinality(acted_on) = 0 AND target = ?)) AND level >= 3
				  AND outcome IS DISTINCT FROM 'action_failed'
				  AND started_at >= greatest(?::timestamptz,
				      (SELECT max(reset_at) FROM recovery_intensity_resets WHERE target IN (?, '*')))
				""", Integer.class, agent, agent, Timestamp.from(since), agent);
		return (count != null) ? count : 0;
	}

	private static Attempt attempt(ResultSet rs, int n) throws SQLException {
		return new Attempt(rs.getObject("id", UUID.class), rs.getObject("run_id", UUID.class),
				rs.getObject("incident_id", UUID.class), rs.getString("target"), rs.getInt("level"),
				rs.getString("strategy"), rs.getString("executor"), rs.getTimestamp("started_at").toInstant(),
				Timestamps.instant(rs.getTimestamp("ended_at")), rs.getString("outcome"),
				JSON.readTree(rs.getString("evidence")), (Long) rs.getObject("timeout_ms"),
				(Long) rs.getObject("duration_ms"), JSON.readTree(rs.getString("choice")));
	}

}
