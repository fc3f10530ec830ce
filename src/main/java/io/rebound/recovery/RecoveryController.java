package io.rebound.recovery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rebound.web.Audit;
import io.rebound.web.Caller;
import io.rebound.web.ProblemException;
import io.rebound.web.QueryParameters;

import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The recovery API so far: a run's plan (where it stands, what happens next and when, and
 * why), the history of attempts, and the kill switch.
 */
@RestController
@RequestMapping("/api/recovery")
class RecoveryController {

	private final RecoveryStore store;

	private final Audit audit;

	private final org.springframework.jdbc.core.JdbcTemplate jdbc;

	RecoveryController(RecoveryStore store, Audit audit, org.springframework.jdbc.core.JdbcTemplate jdbc) {
		this.store = store;
		this.audit = audit;
		this.jdbc = jdbc;
	}

	/**
	 * What to reset: one incident's run, one agent's runs, or (with {@code all}) every
	 * run.
	 *
	 * @param incidentId one incident
	 * @param agent one agent
	 * @param all every run
	 */
	record ResetRequest(UUID incidentId, String agent, Boolean all) {
	}

	@PostMapping("/reset")
	@Transactional
	Map<String, Object> reset(@org.springframework.web.bind.annotation.RequestBody ResetRequest request) {
		boolean all = request != null && Boolean.TRUE.equals(request.all());
		if (request == null || (request.incidentId() == null && request.agent() == null && !all)) {
			throw ProblemException.badRequest("invalid-reset", "Invalid reset",
					"Say what to reset: {\"incident_id\": …}, {\"agent\": …} or {\"all\": true}.");
		}
		int reset = this.store.reset(all ? null : request.incidentId(), all ? null : request.agent());
		this.audit.record("recovery.reset",
				all ? "all" : String.valueOf((request.incidentId() != null) ? request.incidentId() : request.agent()),
				Map.of("runs", reset));
		return Map.of("runs_reset", reset);
	}

	@GetMapping("/metrics")
	Map<String, Object> metrics() {
		List<Map<String, Object>> byStrategy = this.jdbc.queryForList(
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
		Map<String, Object> overall = this.jdbc.queryForMap(
				"""
						SELECT count(*) AS runs,
						       count(*) FILTER (WHERE status = 'running') AS running,
						       count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
						       count(*) FILTER (WHERE status = 'waiting_person') AS waiting_person,
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
		return Map.of("overall", overall, "by_level_and_strategy", byStrategy, "paused", this.store.paused());
	}

	/**
	 * A run and its attempts.
	 *
	 * @param run where it stands, what is next ({@code phase} at {@code next_at}) and why
	 * @param attempts what was tried, oldest first, with the evidence of each verdict
	 */
	record RunView(RecoveryStore.Run run, List<RecoveryStore.Attempt> attempts) {
	}

	@GetMapping("/runs/{id}")
	RunView run(@PathVariable UUID id) {
		RecoveryStore.Run run = this.store.find(id).orElseThrow(() -> ProblemException.notFound("Recovery run", id));
		return new RunView(run, this.store.attempts(id));
	}

	@GetMapping("/runs")
	RunView runOf(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, Set.of("incident_id"));
		String incident = query.text("incident_id");
		if (incident == null) {
			throw ProblemException.badRequest("invalid-parameter", "Invalid parameter", "'incident_id' is required.");
		}
		UUID id;
		try {
			id = UUID.fromString(incident);
		}
		catch (IllegalArgumentException ex) {
			throw ProblemException.badRequest("invalid-parameter", "Invalid parameter",
					"'incident_id' must be a UUID, not '" + incident + "'.");
		}
		RecoveryStore.Run run = this.store.forIncident(id)
			.orElseThrow(() -> ProblemException.notFound("Recovery run for incident", id));
		return run(run.id());
	}

	@GetMapping("/history")
	List<RecoveryStore.Attempt> history(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, Set.of("agent", "limit"));
		return this.store.history(query.text("agent"), query.limit());
	}

	@PostMapping("/pause")
	@Transactional
	Map<String, Object> pause() {
		this.store.pause(true, Caller.current().name());
		this.audit.record("recovery.pause", null, Map.of());
		return Map.of("paused", true);
	}

	@PostMapping("/resume")
	@Transactional
	Map<String, Object> resume() {
		this.store.pause(false, Caller.current().name());
		this.audit.record("recovery.resume", null, Map.of());
		return Map.of("paused", false);
	}

}
