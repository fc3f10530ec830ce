package io.rebound.correlation;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which errors belong to which incident: memberships (current, and the history of those
 * that left), their roles and paths, and the pins people's merges and splits leave.
 * Callers bring the transaction.
 */
@Component
class IncidentMembers {

	private final JdbcTemplate jdbc;

	IncidentMembers(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * An error's place in an active incident.
	 *
	 * @param incidentId the incident
	 * @param role {@code root}, {@code member} or {@code symptom}
	 */
	record Membership(UUID incidentId, String role) {
	}

	/** The agents of each active incident's current errors. */
	Map<UUID, Set<String>> activeSources() {
		Map<UUID, Set<String>> found = new HashMap<>();
		this.jdbc.query("""
				SELECT ie.incident_id, ie.source FROM incident_errors ie JOIN incidents i ON i.id = ie.incident_id
				WHERE ie.current AND i.status IN ('open', 'mitigating') GROUP BY 1, 2
				""", (rs) -> {
			found.computeIfAbsent(rs.getObject(1, UUID.class), (id) -> new HashSet<>()).add(rs.getString(2));
		});
		return found;
	}

	/** Where these errors are in active incidents. */
	Map<UUID, Membership> memberships(Collection<UUID> errorIds) {
		Map<UUID, Membership> found = new HashMap<>();
		if (errorIds.isEmpty()) {
			return found;
		}
		this.jdbc.query("""
				SELECT ie.error_id, ie.incident_id, ie.role FROM incident_errors ie
				JOIN incidents i ON i.id = ie.incident_id
				WHERE ie.error_id = ANY (?) AND ie.current AND i.status IN ('open', 'mitigating')
				""", (rs) -> {
			found.put(rs.getObject(1, UUID.class), new Membership(rs.getObject(2, UUID.class), rs.getString(3)));
		}, (Object) errorIds.toArray(UUID[]::new));
		return found;
	}

	/**
	 * The latest incident, whatever its status, that each of these errors was part of.
	 */
	Map<UUID, IncidentRow> lastIncidents(Collection<UUID> errorIds) {
		Map<UUID, IncidentRow> found = new HashMap<>();
		if (errorIds.isEmpty()) {
			return found;
		}
		this.jdbc.query("""
				SELECT DISTINCT ON (ie.error_id) ie.error_id AS member_error_id, i.* FROM incident_errors ie
				JOIN incidents i ON i.id = ie.incident_id
				WHERE ie.error_id = ANY (?) AND ie.current
				ORDER BY ie.error_id, i.opened_at DESC
				""", (rs) -> {
			found.put(rs.getObject("member_error_id", UUID.class), IncidentStore.ROW.mapRow(rs, 0));
		}, (Object) errorIds.toArray(UUID[]::new));
		return found;
	}

	/** People's merges and splits: the incident each pinned error belongs to. */
	Map<UUID, UUID> pins(Collection<UUID> errorIds) {
		Map<UUID, UUID> found = new HashMap<>();
		if (errorIds.isEmpty()) {
			return found;
		}
		this.jdbc.query("SELECT error_id, incident_id FROM incident_pins WHERE error_id = ANY (?)", (rs) -> {
			found.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
		}, (Object) errorIds.toArray(UUID[]::new));
		return found;
	}

	void pin(UUID errorId, UUID incidentId, String by) {
		this.jdbc.update("""
				INSERT INTO incident_pins (error_id, incident_id, pinned_by) VALUES (?, ?, ?)
				ON CONFLICT (error_id) DO UPDATE SET incident_id = EXCLUDED.incident_id,
				    pinned_by = EXCLUDED.pinned_by, pinned_at = now()
				""", errorId, incidentId, by);
	}

	/** Repoints pins from a resolved incident to its recurrence. */
	void repin(UUID from, UUID to) {
		this.jdbc.update("UPDATE incident_pins SET incident_id = ? WHERE incident_id = ?", to, from);
	}

	void attach(UUID incidentId, UUID errorId, String source, String role, List<String> path, String addedBy) {
		this.jdbc.update("""
				INSERT INTO incident_errors (incident_id, error_id, source, role, path, added_by)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (incident_id, error_id) DO UPDATE SET current = true, role = EXCLUDED.role,
				    path = EXCLUDED.path, added_by = EXCLUDED.added_by, added_at = now()
				""", incidentId, errorId, source, role, path.toArray(String[]::new), addedBy);
	}

	void detach(UUID incidentId, UUID errorId) {
		this.jdbc.update("UPDATE incident_errors SET current = false WHERE incident_id = ? AND error_id = ?",
				incidentId, errorId);
	}

	/**
	 * The current errors of an incident.
	 *
	 * @param errorId the error
	 * @param source its agent
	 * @param role its role
	 * @param path from its agent to the root, for a symptom
	 * @param addedBy what put it there
	 * @param addedAt when
	 */
	record Member(UUID errorId, String source, String role, List<String> path, String addedBy, Instant addedAt) {
	}

	List<Member> members(UUID incidentId) {
		return this.jdbc.query("""
				SELECT error_id, source, role, path, added_by, added_at FROM incident_errors
				WHERE incident_id = ? AND current ORDER BY added_at, error_id
				""",
				(rs, n) -> new Member(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
						IncidentStore.strings(rs.getArray(4)), rs.getString(5), rs.getTimestamp(6).toInstant()),
				incidentId);
	}

	void setRole(UUID incidentId, UUID errorId, String role, List<String> path) {
		this.jdbc.update("UPDATE incident_errors SET role = ?, path = ? WHERE incident_id = ? AND error_id = ?", role,
				path.toArray(String[]::new), incidentId, errorId);
	}

}
