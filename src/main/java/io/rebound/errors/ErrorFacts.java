package io.rebound.errors;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The errors feature's face toward correlation: which errors have news since the
 * correlator last looked, the open errors of a cause or of some agents within a window,
 * and resolving the errors of a resolved incident. "Open" means {@code open} or
 * {@code regressed}.
 */
@Component
public class ErrorFacts {

	/**
	 * An error as correlation sees it.
	 *
	 * @param id its id
	 * @param source the reporting agent (of its first event)
	 * @param type its error type
	 * @param severity the highest severity seen
	 * @param status its status
	 * @param category its category
	 * @param cause the rule's cause, or {@code null}
	 * @param ruleId the rule that matched, or {@code null}
	 * @param errorClass the rule's error class, or {@code null}
	 * @param recovery the rule's recommended recovery, or {@code null}
	 * @param groupKey what failed, as the rule found it, or {@code null}
	 * @param count events so far
	 * @param firstSeen the first event's time
	 * @param lastSeen the latest event's time, by the agent's clock (shown)
	 * @param lastReceived when the latest event reached the bus (decided on)
	 * @param message the latest message
	 * @param activitySeq the newest event's sequence number
	 * @param resolvedAt when it was last resolved, or {@code null}
	 */
	public record Fact(UUID id, String source, String type, Severity severity, ErrorStatus status, Category category,
			String cause, String ruleId, String errorClass, String recovery, String groupKey, long count,
			Instant firstSeen, Instant lastSeen, Instant lastReceived, String message, long activitySeq,
			Instant resolvedAt) {

		public boolean open() {
			return this.status == ErrorStatus.OPEN || this.status == ErrorStatus.REGRESSED;
		}

	}

	private static final String COLUMNS = """
			id, source, type, severity, status, category, cause, rule_id, error_class, recovery, group_key, count,
			first_seen, last_seen, last_received, left(message, 500) AS message, activity_seq, resolved_at
			""";

	private final JdbcTemplate jdbc;

	ErrorFacts(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Errors with events the correlator has not looked at, oldest news first. */
	public List<Fact> unobserved(int limit) {
		return this.jdbc.query(
				"SELECT " + COLUMNS + " FROM errors WHERE observed_seq < activity_seq ORDER BY activity_seq LIMIT ?",
				ErrorFacts::fact, limit);
	}

	/**
	 * Marks errors as looked at, up to the news they had when read: events that arrived
	 * since keep them unobserved.
	 */
	public void observed(List<Fact> facts) {
		if (facts.isEmpty()) {
			return;
		}
		String[] ids = facts.stream().map((f) -> f.id().toString()).toArray(String[]::new);
		Long[] seqs = facts.stream().map(Fact::activitySeq).toArray(Long[]::new);
		// rows are locked in id order, as the ingest path's upsert locks them, so the two
		// never deadlock
		this.jdbc.update("""
				WITH u AS (SELECT * FROM unnest(?::uuid[], ?::bigint[]) AS u(id, seq)),
				     locked AS (SELECT e.id FROM errors e JOIN u ON u.id = e.id ORDER BY e.id FOR NO KEY UPDATE OF e)
				UPDATE errors e SET observed_seq = greatest(e.observed_seq, u.seq)
				FROM u JOIN locked l ON l.id = u.id WHERE e.id = u.id
				""", ids, seqs);
	}

	/** Open errors of one cause that had an event since the given time (arrival). */
	public List<Fact> openWithCause(String cause, Instant since) {
		return this.jdbc.query("SELECT " + COLUMNS + """
				 FROM errors WHERE cause = ? AND status IN ('open', 'regressed') AND last_received >= ?
				ORDER BY first_seen, id LIMIT 10000
				""", ErrorFacts::fact, cause, Timestamp.from(since));
	}

	/** Open errors from these agents that had an event since the given time (arrival). */
	public List<Fact> openFrom(Collection<String> sources, Instant since) {
		if (sources.isEmpty()) {
			return List.of();
		}
		return this.jdbc.query("SELECT " + COLUMNS + """
				 FROM errors WHERE source = ANY (?) AND status IN ('open', 'regressed') AND last_received >= ?
				ORDER BY first_seen, id LIMIT 10000
				""", ErrorFacts::fact, sources.toArray(String[]::new), Timestamp.from(since));
	}

	/**
	 * Agents with an open error at least this severe that had an event since the given
	 * time (arrival).
	 */
	public Set<String> sourcesFailing(Severity atLeast, Instant since) {
		return new HashSet<>(this.jdbc.queryForList("""
				SELECT DISTINCT source FROM errors
				WHERE status IN ('open', 'regressed') AND last_received >= ? AND severity_rank(severity) >= ?
				""", String.class, Timestamp.from(since), atLeast.rank()));
	}

	/**
	 * Events of one error that arrived since the given time, counting no further than
	 * {@code cap}.
	 */
	public int eventsSince(UUID id, Instant since, int cap) {
		Integer count = this.jdbc.queryForObject("""
				SELECT count(*) FROM (SELECT received_at FROM error_events WHERE error_id = ?
				                      ORDER BY seq DESC LIMIT ?) recent WHERE received_at >= ?
				""", Integer.class, id, cap, Timestamp.from(since));
		return (count != null) ? count : 0;
	}

	public List<Fact> byIds(Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.query("SELECT " + COLUMNS + " FROM errors WHERE id = ANY (?) ORDER BY first_seen, id",
				ErrorFacts::fact, (Object) ids.toArray(UUID[]::new));
	}

	public Optional<Fact> find(UUID id) {
		return byIds(List.of(id)).stream().findFirst();
	}

	/** Resolves those of the errors that are open; a newer event regresses them. */
	public int resolve(Collection<UUID> ids, String by, String note) {
		if (ids.isEmpty()) {
			return 0;
		}
		return this.jdbc.update("""
				WITH locked AS (SELECT id FROM errors WHERE id = ANY (?) AND status IN ('open', 'regressed')
				                ORDER BY id FOR NO KEY UPDATE)
				UPDATE errors e SET status = 'resolved', resolved_at = now(), resolved_by = ?, resolution_note = ?,
				                    updated_at = now()
				FROM locked WHERE e.id = locked.id
				""", ids.toArray(UUID[]::new), by, note);
	}

	private static Fact fact(ResultSet rs, int row) throws SQLException {
		Timestamp resolved = rs.getTimestamp("resolved_at");
		return new Fact(rs.getObject("id", UUID.class), rs.getString("source"), rs.getString("type"),
				Severity.fromWire(rs.getString("severity")), ErrorStatus.fromWire(rs.getString("status")),
				Category.fromWire(rs.getString("category")), rs.getString("cause"), rs.getString("rule_id"),
				rs.getString("error_class"), rs.getString("recovery"), rs.getString("group_key"), rs.getLong("count"),
				rs.getTimestamp("first_seen").toInstant(), rs.getTimestamp("last_seen").toInstant(),
				rs.getTimestamp("last_received").toInstant(), rs.getString("message"), rs.getLong("activity_seq"),
				(resolved != null) ? resolved.toInstant() : null);
	}

}
