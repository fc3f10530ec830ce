package io.rebound.security;

import io.rebound.web.QueryParameters;
import io.rebound.web.Cursor;
import io.rebound.web.Page;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/audit}: operators' actions, newest first, for operators. */
@RestController
class AuditController {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<String> PARAMETERS = Set.of("actor", "action", "since", "limit", "cursor");

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

	AuditController(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping("/api/audit")
	Page<Entry> list(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, PARAMETERS);
		StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE true");
		List<Object> args = new ArrayList<>();
		if (query.text("actor") != null) {
			sql.append(" AND actor = ?");
			args.add(query.text("actor"));
		}
		if (query.text("action") != null) {
			sql.append(" AND action = ?");
			args.add(query.text("action"));
		}
		if (query.instant("since") != null) {
			sql.append(" AND at >= ?");
			args.add(Timestamp.from(query.instant("since")));
		}
		if (query.cursor() != null) {
			args.add(Cursor.decode("audit", query.cursor(), 1).number(0));
			sql.append(" AND id < ?");
		}
		int limit = query.limit();
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
		return new Page<>(rows.subList(0, limit), Cursor.encode("audit", rows.get(limit - 1).id()));
	}

}
