package io.rebound.recovery;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The figures of {@code GET /api/recovery/metrics}, straight from the runs and attempts.
 */
@Component
class RecoveryReports {

	private final JdbcTemplate jdbc;

	RecoveryReports(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Attempts, successes and times to recover per level and strategy. */
	List<Map<String, Object>> byLevelAndStrategy() {
		return this.jdbc.queryForList(
				"""
						SELECT a.level, a.strategy, count(*) AS attempts,
						       count(*) FILTER (WHERE a.outcome = 'succeeded') AS succeeded,
						       count(*) FILTER (WHERE a.outcome IN ('failed', 'action_failed')) AS failed,
						       round(coalesce(count(*) FILTER (WHERE a.outcome = 'succeeded')::numeric
						             / nullif(count(*) FILTER (WHERE a.outcome IS NOT NULL), 0), 0), 3) AS success_rate,
						       round((avg(extract(epoch FROM a.ended_at - r.started_at))
						             FILTER (WHERE a.outcome = 'succeeded'))::numeric, 3) AS mean_seconds_to_recover,
						       round((percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM a.ended_at - r.started_at))
						             FILTER (WHERE a.outcome = 'succeeded'))::numeric, 3) AS p95_seconds_to_recover
						FROM recovery_attempts a JOIN recovery_runs r ON r.id = a.run_id
						GROUP BY 1, 2 ORDER BY 1, 2
						""");
	}

	/**
	 * Runs by status, throttles, time to recover, and the shares recovered automatically
	 * and by people.
	 */
	Map<String, Object> overall() {
		return this.jdbc.queryForMap(
				"""
						SELECT count(*) AS runs,
						       count(*) FILTER (WHERE status = 'running') AS running,
						       count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
						       count(*) FILTER (WHERE status = 'waiting_person') AS waiting_person,
						       count(*) FILTER (WHERE status = 'waiting_approval') AS waiting_approval,
						       count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
						       coalesce(sum(throttled), 0) AS throttled,
						       round((avg(extract(epoch FROM ended_at - started_at)) FILTER (WHERE status = 'succeeded'))::numeric, 3)
						           AS mttr_seconds,
						       round((percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - started_at))
						           FILTER (WHERE status = 'succeeded'))::numeric, 3) AS p95_seconds_to_recover,
						       round(coalesce(count(*) FILTER (WHERE status = 'succeeded')::numeric
						           / nullif(count(*) FILTER (WHERE status IN ('succeeded', 'waiting_person')), 0), 0), 3)
						           AS automatic_recovery_rate,
						       round(coalesce(count(*) FILTER (WHERE status = 'waiting_person')::numeric
						           / nullif(count(*) FILTER (WHERE status IN ('succeeded', 'waiting_person')), 0), 0), 3)
						           AS manual_intervention_rate
						FROM recovery_runs
						""");
	}

}
