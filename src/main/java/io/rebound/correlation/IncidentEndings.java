package io.rebound.correlation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.errors.ErrorFacts;

/**
 * Ends an incident: marks it resolved or closed and resolves its open errors, so that
 * thresholds stop counting them and a newer event makes a recurrence, never a late member
 * of an incident that is over.
 */
final class IncidentEndings {

	private IncidentEndings() {
	}

	static IncidentResolved end(IncidentStore store, IncidentMembers members, ErrorFacts facts, IncidentRow incident,
			IncidentStatus status, String by, String note, Instant now) {
		List<UUID> errors = members.members(incident.id()).stream().map(IncidentMembers.Member::errorId).toList();
		store.setStatus(incident.id(), status, by, note);
		int resolved = facts.resolve(errors, by,
				"incident " + incident.id() + " " + status.wire() + ((note != null) ? ": " + note : ""));
		store.timeline(incident.id(), status.wire(), by,
				Map.of("note", String.valueOf(note), "errors_resolved", resolved));
		return new IncidentResolved(incident.id(), status, by, null, now);
	}

}
