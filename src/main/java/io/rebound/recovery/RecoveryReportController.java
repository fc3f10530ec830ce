package io.rebound.recovery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rebound.web.Cursor;
import io.rebound.web.Page;
import io.rebound.web.QueryParameters;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What recovery did and how well: the history of attempts, and the metrics — per level
 * and strategy, per kind of error and strategy (the records the choice rests on, with
 * their scores and adaptive timeouts), and overall.
 */
@RestController
@RequestMapping("/api/recovery")
class RecoveryReportController {

	private static final List<String> OUTCOMES = List.of("succeeded", "failed", "action_failed");

	private final RecoveryStore store;

	private final Attempts attempts;

	private final RecoveryRecords records;

	private final List<Strategy> strategies;

	private final RecoveryReports reports;

	RecoveryReportController(RecoveryStore store, Attempts attempts, RecoveryRecords records, List<Strategy> strategies,
			RecoveryReports reports) {
		this.store = store;
		this.attempts = attempts;
		this.records = records;
		this.strategies = strategies;
		this.reports = reports;
	}

	@GetMapping("/metrics")
	Map<String, Object> metrics() {
		List<Map<String, Object>> byStrategy = this.reports.byLevelAndStrategy();
		Map<String, Object> overall = this.reports.overall();
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
	 * Attempts, newest first. Filters: {@code agent}, {@code incident_id}, {@code level},
	 * {@code strategy}, {@code outcome}, {@code since}; paged by {@code limit} and
	 * {@code cursor}.
	 */
	@GetMapping("/history")
	Page<Attempts.Attempt> history(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params,
				Set.of("agent", "incident_id", "level", "strategy", "outcome", "since", "limit", "cursor"));
		Integer level = query.choice("level", (v) -> v.matches("[1-5]") ? Integer.valueOf(v) : null,
				List.of("1", "2", "3", "4", "5"));
		String outcome = query.choice("outcome", (v) -> OUTCOMES.contains(v) ? v : null, OUTCOMES);
		Cursor cursor = (query.cursor() != null) ? Cursor.decode("attempts", query.cursor(), 2) : null;
		Instant cursorAt = (cursor != null) ? cursor.instant(0) : null;
		UUID cursorId = (cursor != null) ? cursor.uuid(1) : null;
		int limit = query.limit();
		List<Attempts.Attempt> rows = this.attempts.history(query.text("agent"),
				RecoveryController.uuid(query, "incident_id"), level, query.text("strategy"), outcome,
				query.instant("since"), cursorAt, cursorId, limit + 1);
		if (rows.size() <= limit) {
			return new Page<>(rows, null);
		}
		Attempts.Attempt last = rows.get(limit - 1);
		return new Page<>(rows.subList(0, limit), Cursor.encode("attempts", last.startedAt(), last.id()));
	}

}
