package io.rebound.correlation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.errors.ErrorEscalated;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * An escalating error raises the severity of the active incident it belongs to by one
 * step ({@code low → medium → high → critical}), noted in the incident's timeline
 * ({@code error_escalated}). Listens after the escalation's commit, through the event
 * publication registry; raising is idempotent per escalation (the timeline names it).
 */
@Component
class IncidentEscalation {

	private static final List<String> STEPS = List.of("info", "low", "medium", "high", "critical");

	private final JdbcTemplate jdbc;

	private final IncidentStore store;

	IncidentEscalation(JdbcTemplate jdbc, IncidentStore store) {
		this.jdbc = jdbc;
		this.store = store;
	}

	@ApplicationModuleListener
	void on(ErrorEscalated escalated) {
		List<Map<String, Object>> incidents = this.jdbc.queryForList("""
				SELECT i.id, i.severity FROM incidents i JOIN incident_errors ie ON ie.incident_id = i.id
				WHERE ie.error_id = ? AND ie.current AND i.status IN ('open', 'mitigating')
				  AND NOT EXISTS (SELECT 1 FROM incident_timeline t WHERE t.incident_id = i.id
				                  AND t.kind = 'error_escalated' AND t.detail ->> 'error_id' = ?
				                  AND t.detail ->> 'at' = ?)
				FOR UPDATE OF i
				""", escalated.errorId(), escalated.errorId().toString(), escalated.at().toString());
		for (Map<String, Object> incident : incidents) {
			UUID id = (UUID) incident.get("id");
			String before = (String) incident.get("severity");
			String after = STEPS.get(Math.min(STEPS.size() - 1, Math.max(0, STEPS.indexOf(before)) + 1));
			this.jdbc.update("UPDATE incidents SET severity = ? WHERE id = ?", after, id);
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("error_id", escalated.errorId().toString());
			detail.put("at", escalated.at().toString());
			detail.put("count", escalated.count());
			detail.put("forecast", escalated.forecast());
			detail.put("severity_from", before);
			detail.put("severity_to", after);
			this.store.timeline(id, "error_escalated", "rebound", detail);
		}
	}

}
