package io.rebound.recovery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rebound.web.Audit;
import io.rebound.web.Caller;
import io.rebound.web.Page;
import io.rebound.web.ProblemException;
import io.rebound.web.QueryParameters;

import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The recovery API: a run's plan (where it stands, what happens next and when, and why),
 * approval, the history of attempts, metrics and records, reset, and the kill switch.
 */
@RestController
@RequestMapping("/api/recovery")
class RecoveryController {

	private static final List<String> OUTCOMES = List.of("succeeded", "failed", "action_failed");

	private final RecoveryStore store;

	private final Audit audit;

	private final org.springframework.jdbc.core.JdbcTemplate jdbc;

	private final RecoveryRecords records;

	private final List<Strategy> strategies;

	RecoveryController(RecoveryStore store, Audit audit, org.springframework.jdbc.core.JdbcTemplate jdbc,
			RecoveryRecords records, List<Strategy> strategies) {
		this.records = records;
		this.strategies = strategies;
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
		List<Map<String, Object>> records = this.records.all().stream().map((r) -> {
			Map<String, Object> row = new java.util.LinkedHashMap<>();
			row.put("error_kind", r.errorKind());
			row.put("level", r.level());
			row.put("strategy", r.strategy());
			row.put("attempts", r.attempts());
			row.put("successes", r.successes());
			row.put("relapses", r.relapses());
			Selection.Ranked ranked = Selection.ranked(new Selection.Candidate(
					this.strategies.stream().filter((s) -> s.name().equals(r.strategy())).findFirst().orElse(null),
					null, r), 0, 0);
			row.put("score", ranked.score());
			row.put("score_parts", ranked.parts());
			row.put("timeout_ms", this.records.timeout(r).toMillis());
			return row;
		}).toList();
		return Map.of("overall", overall, "by_level_and_strategy", byStrategy, "records", records, "paused",
				this.store.paused());
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
		UUID id = uuid(query, "incident_id");
		if (id == null) {
			throw ProblemException.badRequest("invalid-parameter", "Invalid parameter", "'incident_id' is required.");
		}
		RecoveryStore.Run run = this.store.forIncident(id)
			.orElseThrow(() -> ProblemException.notFound("Recovery run for incident", id));
		return run(run.id());
	}

	/**
	 * Attempts, newest first. Filters: {@code agent}, {@code incident_id}, {@code level},
	 * {@code strategy}, {@code outcome}, {@code since}; paged by {@code limit} and
	 * {@code cursor}.
	 */
	@GetMapping("/history")
	Page<RecoveryStore.Attempt> history(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params,
				Set.of("agent", "incident_id", "level", "strategy", "outcome", "since", "limit", "cursor"));
		Integer level = query.choice("level", (v) -> v.matches("[1-5]") ? Integer.valueOf(v) : null,
				List.of("1", "2", "3", "4", "5"));
		String outcome = query.choice("outcome", (v) -> OUTCOMES.contains(v) ? v : null, OUTCOMES);
		Instant cursorAt = null;
		UUID cursorId = null;
		if (query.cursor() != null) {
			try {
				String[] parts = new String(Base64.getUrlDecoder().decode(query.cursor()), StandardCharsets.UTF_8)
					.split("_", 2);
				cursorAt = Instant.parse(parts[0]);
				cursorId = UUID.fromString(parts[1]);
			}
			catch (RuntimeException ex) {
				throw ProblemException.badRequest("invalid-cursor", "Invalid cursor",
						"The cursor is not one this API handed out; start again without it.");
			}
		}
		int limit = query.limit();
		List<RecoveryStore.Attempt> rows = this.store.history(query.text("agent"), uuid(query, "incident_id"), level,
				query.text("strategy"), outcome, query.instant("since"), cursorAt, cursorId, limit + 1);
		if (rows.size() <= limit) {
			return new Page<>(rows, null);
		}
		RecoveryStore.Attempt last = rows.get(limit - 1);
		return new Page<>(rows.subList(0, limit),
				Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString((last.startedAt() + "_" + last.id()).getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * A person's go-ahead.
	 *
	 * @param by who approves (default: the caller)
	 * @param note why, or {@code null}
	 */
	record Approval(String by, String note) {
	}

	/**
	 * Approves a run that waits for it: level 5 under a policy that wants approval, or a
	 * run that was held for a person from the start ({@code human} or {@code fatal}): it
	 * acts at its level now. A run that exhausted the ladder is not approved but reset.
	 */
	@PostMapping("/runs/{id}/approve")
	@Transactional
	RunView approve(@PathVariable UUID id,
			@org.springframework.web.bind.annotation.RequestBody(required = false) Approval approval) {
		RecoveryStore.Run run = this.store.find(id).orElseThrow(() -> ProblemException.notFound("Recovery run", id));
		String by = (approval != null && approval.by() != null && !approval.by().isBlank()) ? approval.by()
				: Caller.current().name();
		String note = (approval != null && approval.note() != null) ? approval.note() : "";
		if (by.length() > 128 || note.length() > 2000) {
			throw ProblemException.badRequest("invalid-approval", "Invalid approval",
					"'by' may have at most 128 characters and 'note' at most 2,000.");
		}
		boolean awaitsApproval = run.status().equals("waiting_approval");
		boolean heldFromStart = run.status().equals("waiting_person") && run.attemptId() == null
				&& run.level() <= Ladder.PERSON;
		if (!awaitsApproval && !heldFromStart) {
			throw new ProblemException(HttpStatus.CONFLICT, "not-awaiting-approval", "Nothing to approve",
					"Run " + id + " is " + run.status() + (run.status().equals("waiting_person")
							? " after the ladder was exhausted; reset it (POST /api/recovery/reset) to start again"
							: "; only runs waiting for approval, or held for a person from the start, can be approved")
							+ ".",
					Map.of("status", run.status()));
		}
		this.store.approve(id, by, "approved by " + by + ": level " + run.level() + " acts now");
		this.audit.record("recovery.approve", id.toString(), Map.of("level", run.level(), "by", by, "note", note));
		return run(id);
	}

	private static UUID uuid(QueryParameters query, String name) {
		String value = query.text(name);
		if (value == null) {
			return null;
		}
		try {
			return UUID.fromString(value);
		}
		catch (IllegalArgumentException ex) {
			throw ProblemException.badRequest("invalid-parameter", "Invalid parameter",
					"'" + name + "' must be a UUID, not '" + value + "'.");
		}
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
