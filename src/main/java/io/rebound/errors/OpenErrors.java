package io.rebound.errors;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The errors feature's answer to "what is wrong with this agent": its errors that are not
 * resolved, worst and newest first.
 */
@Component
public class OpenErrors {

	/**
	 * One unresolved error.
	 *
	 * @param id the error's id
	 * @param type the agent's error type
	 * @param severity the highest severity seen
	 * @param status {@code open} or {@code regressed}
	 * @param count events so far
	 * @param lastSeen the latest event's time
	 * @param message the latest message
	 */
	public record OpenError(UUID id, String type, Severity severity, ErrorStatus status, long count, Instant lastSeen,
			String message) {
	}

	private final JdbcTemplate jdbc;

	OpenErrors(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	public List<OpenError> of(String source, int limit) {
		return this.jdbc.query("""
				SELECT id, type, severity, status, count, last_seen, message FROM errors
				WHERE source = ? AND status IN ('open', 'regressed')
				ORDER BY severity_rank(severity) DESC, activity_seq DESC LIMIT ?
				""",
				(rs, n) -> new OpenError(rs.getObject("id", UUID.class), rs.getString("type"),
						Severity.fromWire(rs.getString("severity")), ErrorStatus.fromWire(rs.getString("status")),
						rs.getLong("count"), rs.getTimestamp("last_seen").toInstant(), rs.getString("message")),
				source, limit);
	}

	/**
	 * Events a source sent beyond a noise limit: counted in their errors, not stored one
	 * by one.
	 *
	 * @param source the agent
	 * @param reason {@code source_rate} or {@code error_spike}
	 * @param count how many so far
	 * @param lastAt when the latest was counted
	 */
	public record Suppressed(String source, String reason, long count, Instant lastAt) {
	}

	/** The sources with the most suppressed events, most first. */
	public List<Suppressed> suppressed(int limit) {
		return this.jdbc.query(
				"SELECT source, reason, count, last_at FROM suppressed_events ORDER BY count DESC, source LIMIT ?",
				(rs, n) -> new Suppressed(rs.getString(1), rs.getString(2), rs.getLong(3),
						rs.getTimestamp(4).toInstant()),
				limit);
	}

	/** Unresolved errors by severity, over all agents. */
	public Map<Severity, Long> countBySeverity() {
		Map<Severity, Long> counts = new EnumMap<>(Severity.class);
		this.jdbc.query("SELECT severity, count(*) FROM errors WHERE status IN ('open', 'regressed') GROUP BY 1",
				(rs) -> {
					counts.put(Severity.fromWire(rs.getString(1)), rs.getLong(2));
				});
		return counts;
	}

}
