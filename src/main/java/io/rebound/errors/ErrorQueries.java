package io.rebound.errors;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rebound.errors.ErrorViews.ErrorDetails;
import io.rebound.errors.ErrorViews.ErrorSummary;
import io.rebound.errors.ErrorViews.EventView;
import io.rebound.web.Cursor;
import io.rebound.web.Page;
import io.rebound.errors.ErrorViews.Resolution;
import io.rebound.errors.ErrorViews.Rules;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The read side of the errors API. Errors are listed by newest activity first: the
 * sequence of the last event stored for them. A page after the first places each error at
 * its position as of the snapshot the first page was read at: errors with no activity
 * since then come straight from the index; the few that changed are placed by their last
 * event at or before the snapshot.
 */
@Component
class ErrorQueries {

	private static final String COLUMNS = "e.id, e.fingerprint, e.source, e.type, e.category, e.severity, e.status, "
			+ "e.count, e.first_seen, e.last_seen, e.last_received, e.message";

	/** The listing of errors; its cursor: the snapshot and the last row's position. */
	static final String ERRORS = "errors";

	/** The listing of an error's events; its cursor: the last event's sequence. */
	static final String EVENTS = "events";

	private final NamedParameterJdbcTemplate jdbc;

	ErrorQueries(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	Page<ErrorSummary> list(ErrorFilter filter, Cursor cursor, int limit) {
		MapSqlParameterSource params = new MapSqlParameterSource();
		String where = conditions(filter, params);
		// the snapshot (the highest event sequence when the first page was read) and the
		// position of the last row shown: later pages place every error where it stood at
		// the snapshot, so activity while a client pages neither repeats nor skips a row
		long snapshot = (cursor != null) ? cursor.number(0) : snapshot();
		params.addValue("snapshot", snapshot);
		params.addValue("after", (cursor != null) ? cursor.number(1) : Long.MAX_VALUE);
		params.addValue("limit", limit + 1);
		String sql = """
				SELECT * FROM (
				  (SELECT %1$s, e.activity_seq AS pos FROM errors e
				   WHERE e.activity_seq <= :snapshot AND e.activity_seq < :after %2$s
				   ORDER BY e.activity_seq DESC LIMIT :limit)
				  UNION ALL
				  (SELECT %1$s, p.pos FROM errors e
				   CROSS JOIN LATERAL (SELECT max(ev.seq) AS pos FROM error_events ev
				                       WHERE ev.error_id = e.id AND ev.seq <= :snapshot) p
				   WHERE e.activity_seq > :snapshot AND p.pos < :after %2$s)
				) page ORDER BY pos DESC LIMIT :limit
				""".formatted(COLUMNS, where);
		List<Positioned<ErrorSummary>> rows = this.jdbc.query(sql, params,
				(rs, n) -> new Positioned<>(summary(rs), rs.getLong("pos")));
		return page(rows, limit, (last) -> Cursor.encode(ERRORS, snapshot, last));
	}

	@Transactional(readOnly = true)
	Optional<ErrorDetails> get(UUID id) {
		MapSqlParameterSource params = new MapSqlParameterSource("id", id);
		List<ErrorDetails> found = this.jdbc.query("""
				SELECT %s, e.resolved_at, e.resolved_by, e.resolution_note, e.regressed_at,
				       e.fingerprint_inputs::text AS grouping, e.last_event_id, e.cause, e.rule_id, e.confidence,
				       e.error_class, e.recovery, e.suppressed, e.escalating_since, e.escalation::text AS escalation
				FROM errors e WHERE e.id = :id
				""".formatted(COLUMNS), params, (rs, n) -> details(rs));
		return found.stream().findFirst();
	}

	boolean exists(UUID id) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM errors WHERE id = :id)",
				new MapSqlParameterSource("id", id), Boolean.class));
	}

	@Transactional(readOnly = true)
	Page<EventView> events(UUID errorId, Cursor cursor, int limit) {
		MapSqlParameterSource params = new MapSqlParameterSource("id", errorId)
			.addValue("after", (cursor != null) ? cursor.number(0) : Long.MAX_VALUE)
			.addValue("limit", limit + 1);
		List<Positioned<EventView>> rows = this.jdbc.query("""
				SELECT ev.*, ev.seq AS pos FROM error_events ev
				WHERE ev.error_id = :id AND ev.seq < :after ORDER BY ev.seq DESC LIMIT :limit
				""", params, (rs, n) -> new Positioned<>(event(rs), rs.getLong("pos")));
		return page(rows, limit, (last) -> Cursor.encode(EVENTS, last));
	}

	private long snapshot() {
		Long max = this.jdbc.getJdbcTemplate().queryForObject("SELECT max(activity_seq) FROM errors", Long.class);
		return (max != null) ? max : 0;
	}

	private Optional<EventView> newestStored(UUID errorId) {
		return this.jdbc
			.query("SELECT * FROM error_events WHERE error_id = :id ORDER BY seq DESC LIMIT 1",
					new MapSqlParameterSource("id", errorId), (rs, n) -> event(rs))
			.stream()
			.findFirst();
	}

	/** One of the error's events, by its id: its position is kept with the id. */
	private Optional<EventView> event(UUID errorId, UUID eventId) {
		return this.jdbc.query("""
				SELECT ev.* FROM error_event_ids i
				JOIN error_events ev ON ev.error_id = :error AND ev.seq = i.seq AND ev.received_at = i.received_at
				WHERE i.event_id = :id
				""", new MapSqlParameterSource("id", eventId).addValue("error", errorId), (rs, n) -> event(rs))
			.stream()
			.findFirst();
	}

	private static String conditions(ErrorFilter filter, MapSqlParameterSource params) {
		StringBuilder where = new StringBuilder();
		condition(where, params, "e.source = :source", "source", filter.source());
		if (filter.severities() != null && filter.severities().isEmpty()) {
			where.append(" AND false");
		}
		else if (filter.severities() != null) {
			where.append(" AND e.severity IN (:severities)");
			params.addValue("severities", filter.severities().stream().map(Severity::wire).toList());
		}
		condition(where, params, "e.type = :type", "type", filter.type());
		condition(where, params, "e.category = :category", "category",
				(filter.category() != null) ? filter.category().wire() : null);
		condition(where, params, "e.status = :status", "status",
				(filter.status() != null) ? filter.status().wire() : null);
		condition(where, params, "e.last_seen >= :since", "since", timestamp(filter.since()));
		condition(where, params, "e.last_seen < :until", "until", timestamp(filter.until()));
		if (filter.text() != null) {
			where.append(" AND e.message ILIKE :text ESCAPE '\\'");
			params.addValue("text", "%" + filter.text().replaceAll("([\\\\%_])", "\\\\$1") + "%");
		}
		return where.toString();
	}

	private static void condition(StringBuilder where, MapSqlParameterSource params, String sql, String name,
			Object value) {
		if (value != null) {
			where.append(" AND ").append(sql);
			params.addValue(name, value);
		}
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static <T> Page<T> page(List<Positioned<T>> rows, int limit,
			java.util.function.LongFunction<String> cursorAt) {
		boolean more = rows.size() > limit;
		List<Positioned<T>> shown = more ? rows.subList(0, limit) : rows;
		String next = more ? cursorAt.apply(shown.get(shown.size() - 1).pos()) : null;
		return new Page<>(shown.stream().map(Positioned::row).toList(), next);
	}

	private record Positioned<T>(T row, long pos) {
	}

	private static ErrorSummary summary(ResultSet rs) throws SQLException {
		return new ErrorSummary(rs.getObject("id", UUID.class), rs.getString("fingerprint"), rs.getString("source"),
				rs.getString("type"), Category.fromWire(rs.getString("category")),
				Severity.fromWire(rs.getString("severity")), ErrorStatus.fromWire(rs.getString("status")),
				rs.getLong("count"), instant(rs, "first_seen"), instant(rs, "last_seen"), instant(rs, "last_received"),
				rs.getString("message"));
	}

	private ErrorDetails details(ResultSet rs) throws SQLException {
		ErrorSummary s = summary(rs);
		Instant resolvedAt = instant(rs, "resolved_at");
		Resolution resolution = (resolvedAt != null)
				? new Resolution(resolvedAt, rs.getString("resolved_by"), rs.getString("resolution_note")) : null;
		// the latest event may have been counted without being stored (over a noise
		// limit)
		EventView latest = event(s.id(), rs.getObject("last_event_id", UUID.class)).or(() -> newestStored(s.id()))
			.orElse(null);
		Rules rules = (rs.getString("rule_id") != null) ? new Rules(rs.getString("rule_id"), rs.getString("cause"),
				rs.getDouble("confidence"), rs.getString("error_class"), rs.getString("recovery")) : null;
		return new ErrorDetails(s.id(), s.fingerprint(), s.source(), s.type(), s.category(), s.severity(), s.status(),
				s.count(), rs.getLong("suppressed"), s.firstSeen(), s.lastSeen(), s.lastReceived(), s.message(),
				resolution, instant(rs, "regressed_at"), rules, rs.getString("grouping"), latest,
				instant(rs, "escalating_since"), rs.getString("escalation"));
	}

	private static EventView event(ResultSet rs) throws SQLException {
		return new EventView(rs.getObject("event_id", UUID.class), rs.getObject("error_id", UUID.class),
				rs.getString("source"), rs.getString("type"), Severity.fromWire(rs.getString("severity")),
				Category.fromWire(rs.getString("category")), rs.getString("message"), instant(rs, "occurred_at"),
				instant(rs, "received_at"), rs.getString("context"), rs.getString("topic"),
				rs.getInt("kafka_partition"), rs.getLong("kafka_offset"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

}
