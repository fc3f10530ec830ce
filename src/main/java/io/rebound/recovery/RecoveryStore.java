package io.rebound.recovery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rebound.shared.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recovery's tables: runs, attempts and the kill switch. Callers bring the transaction.
 */
@Component
class RecoveryStore {

	/**
	 * A recovery run: one per incident.
	 *
	 * @param id the run
	 * @param incidentId its incident
	 * @param target the agent it recovers
	 * @param status where it stands
	 * @param level the ladder's level now
	 * @param phase where it is within its level
	 * @param nextAt when the next step is due
	 * @param attemptId the attempt being verified, or {@code null}
	 * @param reason why it stands where it stands
	 * @param startedAt when it started
	 * @param endedAt when it ended, or {@code null}
	 * @param errorKind the kind of error ({@code cause|category|agent kind}) whose
	 * records guide the choice of strategies
	 * @param policy the target's policy tier
	 * @param levelAttempts attempts made at this level so far
	 * @param inhibitedBy the run of a dependency whose recovery holds this one, or
	 * {@code null}
	 * @param watchSince when watching whether it recovered without an action of its own
	 * began, or {@code null}
	 * @param approvedBy who approved level 5, or {@code null}
	 * @param throttled how often it was held back by a restart limit
	 * @param recommended the strategy it starts with, or {@code null}
	 * @param recommendedWhy why: {@code null} when its rule recommends it, else the
	 * symptom that chose it
	 */
	record Run(UUID id, UUID incidentId, String target, RunStatus status, int level, Phase phase, Instant nextAt,
			UUID attemptId, String reason, Instant startedAt, Instant endedAt, String errorKind, String policy,
			int levelAttempts, UUID inhibitedBy, Instant watchSince, String approvedBy, int throttled,
			String recommended, String recommendedWhy) {

		/** This run as if its level had no attempts left under the policy. */
		Run withLastAttemptAtLevel(Policy policy) {
			return new Run(this.id, this.incidentId, this.target, this.status, this.level, this.phase, this.nextAt,
					this.attemptId, this.reason, this.startedAt, this.endedAt, this.errorKind, this.policy,
					policy.attemptsPerLevel() - 1, this.inhibitedBy, this.watchSince, this.approvedBy, this.throttled,
					this.recommended, this.recommendedWhy);
		}

	}

	private final JdbcTemplate jdbc;

	RecoveryStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Starts a run for an incident that has none; whether it did. */
	Optional<UUID> start(UUID incidentId, String target, int level, RunStatus status, String reason, String errorKind,
			String policy, String recommended, String recommendedWhy) {
		UUID id = UUID.randomUUID();
		int started = this.jdbc.update("""
				INSERT INTO recovery_runs (id, incident_id, target, status, level, phase, next_at, reason, error_kind,
				    policy, recommended, recommended_why)
				VALUES (?, ?, ?, ?, ?, 'act', now(), ?, ?, ?, ?, ?) ON CONFLICT (incident_id) DO NOTHING
				""", id, incidentId, target, status.wire(), level, reason, errorKind, policy, recommended,
				recommendedWhy);
		return (started == 1) ? Optional.of(id) : Optional.empty();
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

	void next(UUID run, int level, int levelAttempts, Phase phase, Duration in, UUID attemptId, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET level = ?, level_attempts = ?, phase = ?,
				    next_at = now() + ? * interval '1 millisecond', attempt_id = ?, reason = ?, updated_at = now()
				WHERE id = ?
				""", level, levelAttempts, phase.wire(), in.toMillis(), attemptId, reason, run);
	}

	/** The action of this attempt is being carried out; due again if it never reports. */
	void acting(UUID run, UUID attemptId, Duration deadline, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET phase = 'acting', next_at = now() + ? * interval '1 millisecond',
				    attempt_id = ?, reason = ?, updated_at = now() WHERE id = ?
				""", deadline.toMillis(), attemptId, reason, run);
	}

	/** Locks a run whose attempt is being carried out, if it still is. */
	Optional<Run> lockActing(UUID run, UUID attemptId) {
		return this.jdbc.query("""
				SELECT * FROM recovery_runs WHERE id = ? AND status = 'running' AND phase = 'acting' AND attempt_id = ?
				FOR UPDATE
				""", RecoveryStore::run, run, attemptId).stream().findFirst();
	}

	/** Holds a run while a dependency's run recovers. */
	void inhibit(UUID run, UUID by, Duration recheck, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET inhibited_by = ?, next_at = now() + ? * interval '1 millisecond', reason = ?,
				    updated_at = now() WHERE id = ?
				""", by, recheck.toMillis(), reason, run);
	}

	/** Watches, without an action, whether the target recovered with its dependency. */
	void watch(UUID run, Duration window, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET inhibited_by = NULL, phase = 'verify', attempt_id = NULL, watch_since = now(),
				    next_at = now() + ? * interval '1 millisecond', reason = ?, updated_at = now() WHERE id = ?
				""", window.toMillis(), reason, run);
	}

	/** A person's go-ahead: the run acts again now. */
	void approve(UUID run, String by, String reason) {
		this.jdbc.update(
				"""
						UPDATE recovery_runs SET status = 'running', phase = 'act', next_at = now(), approved_by = ?, reason = ?,
						    updated_at = now() WHERE id = ?
						""",
				by, reason, run);
	}

	void end(UUID run, RunStatus status, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET status = ?, reason = ?, updated_at = now(),
				    ended_at = CASE WHEN ? THEN now() ELSE ended_at END
				WHERE id = ?
				""", status.wire(), reason, status.ended(), run);
	}

	/** Cancels the incident's run, if it has one that has not ended; the run. */
	Optional<Run> cancel(UUID incidentId, String reason) {
		return this.jdbc.query("""
				UPDATE recovery_runs SET status = 'cancelled', reason = ?, updated_at = now(), ended_at = now()
				WHERE incident_id = ? AND status IN ('running', 'waiting_person', 'waiting_approval')
				RETURNING *
				""", RecoveryStore::run, reason, incidentId).stream().findFirst();
	}

	/**
	 * Runs recovering any of these agents now (the holders of inhibition), but this one.
	 */
	List<Run> recovering(java.util.Collection<String> targets, UUID except) {
		if (targets.isEmpty()) {
			return List.of();
		}
		return this.jdbc.query("""
				SELECT * FROM recovery_runs WHERE status = 'running' AND target = ANY (?) AND id <> ?
				  AND inhibited_by IS NULL ORDER BY started_at
				""", RecoveryStore::run, targets.toArray(String[]::new), except);
	}

	/**
	 * Level 3+ actions being carried out or verified across the fleet, but this run's.
	 */
	int heavyInFlight(UUID except) {
		Integer count = this.jdbc.queryForObject("""
				SELECT count(*) FROM recovery_runs WHERE status = 'running' AND level >= 3 AND attempt_id IS NOT NULL
				  AND phase IN ('acting', 'verify') AND id <> ?
				""", Integer.class, except);
		return (count != null) ? count : 0;
	}

	void throttle(UUID run, Duration wait, String reason) {
		this.jdbc.update("""
				UPDATE recovery_runs SET throttled = throttled + 1, next_at = now() + ? * interval '1 millisecond',
				    reason = ?, updated_at = now() WHERE id = ?
				""", wait.toMillis(), reason, run);
	}

	/**
	 * Puts runs back to the start of their ladder, due now, and the restart-intensity
	 * counters of their targets (of this agent; of all with both {@code null}) back to
	 * zero; {@code null}s match all.
	 */
	int reset(UUID incidentId, String target) {
		List<String> targets = (incidentId != null)
				? forIncident(incidentId).map((r) -> List.of(r.target())).orElse(List.of())
				: List.of((target != null) ? target : "*");
		for (String t : targets) {
			this.jdbc.update("""
					INSERT INTO recovery_intensity_resets (target, reset_at) VALUES (?, now())
					ON CONFLICT (target) DO UPDATE SET reset_at = now()
					""", t);
		}
		return this.jdbc.update(
				"""
						UPDATE recovery_runs SET level = 1, level_attempts = 0, phase = 'act', next_at = now(), attempt_id = NULL,
						    throttled = 0, inhibited_by = NULL, watch_since = NULL, approved_by = NULL,
						    status = 'running', reason = 'reset by an operator', updated_at = now()
						WHERE status IN ('running', 'waiting_person', 'waiting_approval') AND (?::uuid IS NULL OR incident_id = ?)
						  AND (?::text IS NULL OR target = ?)
						""",
				incidentId, incidentId, target, target);
	}

	boolean paused() {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT paused FROM recovery_switch", Boolean.class));
	}

	void pause(boolean paused, String by) {
		this.jdbc.update("UPDATE recovery_switch SET paused = ?, paused_by = ?, paused_at = now()", paused, by);
	}

	private static Run run(ResultSet rs, int n) throws SQLException {
		return new Run(rs.getObject("id", UUID.class), rs.getObject("incident_id", UUID.class), rs.getString("target"),
				RunStatus.fromWire(rs.getString("status")), rs.getInt("level"), Phase.fromWire(rs.getString("phase")),
				rs.getTimestamp("next_at").toInstant(), rs.getObject("attempt_id", UUID.class), rs.getString("reason"),
				rs.getTimestamp("started_at").toInstant(), Timestamps.instant(rs.getTimestamp("ended_at")),
				rs.getString("error_kind"), rs.getString("policy"), rs.getInt("level_attempts"),
				rs.getObject("inhibited_by", UUID.class), Timestamps.instant(rs.getTimestamp("watch_since")),
				rs.getString("approved_by"), rs.getInt("throttled"), rs.getString("recommended"),
				rs.getString("recommended_why"));
	}

}
