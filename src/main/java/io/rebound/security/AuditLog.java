package io.rebound.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rebound.web.Cursor;
import io.rebound.web.Page;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads the audit log that {@link Audit} writes: people's actions, newest first. */
@Component
class AuditLog {

	/** The listing's name in its cursors. */
	static final String LISTING = "audit";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * One action.
	 *
	 * @param id its position (the cursor)
	 * @param at when
	 * @param actor who
	 * @param role with which role
	 * @param via which key or token
	 * @param action what
	 * @param target on what
	 * @param detail the particulars
	 * @param remoteAddr from where
	 */
	record Entry(long id, Instant at, String actor, String role, String via, String action, String target,
			JsonNode detail, String remoteAddr) {
	}

	private final JdbcTemplate jdbc;

	AuditLog(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A page of actions, filtered ({@code null}s match all), before the entry
	 * {@code before}.
	 */
	Page<Entry> page(String actor, String action, Instant since, Long before, int limit) {
		StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE true");
		List<Object> args = new ArrayList<>();
		if (actor != null) {
			sql.append(" AND actor = ?");
			args.add(actor);
		}
		if (action != null) {
			sql.append(" AND action = ?");
			args.add(action);
		}
		if (since != null) {
			sql.append(" AND at >= ?");
			args.add(Timestamp.from(since));
		}
		if (before != null) {
			sql.append(" AND id < ?");
			args.add(before);
		}
		sql.append(" ORDER BY id DESC LIMIT ?");
		args.add(limit + 1);
		List<Entry> rows = this.jdbc.query(sql.toString(),
				(rs, n) -> new Entry(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
						rs.getString("role"), rs.getString("via"), rs.getString("action"), rs.getString("target"),
						JSON.readTree(rs.getString("detail")), rs.getString("remote_addr")),
				args.toArray());
		if (rows.size() <= limit) {
			return new Page<>(rows, null);
		}
		return new Page<>(rows.subList(0, limit), Cursor.encode(LISTING, rows.get(limit - 1).id()));
	}

}
