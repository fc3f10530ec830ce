package io.rebound.correlation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Moves one incident's errors into another and closes the first, marked as merged. A
 * person's merge pins the errors, so that later events follow them; the correlator's own
 * merges (a root found for an incident's agents) do not.
 */
final class Merger {

	private final IncidentStore store;

	private final IncidentMembers members;

	private final Instant now;

	private final ApplicationEventPublisher events;

	Merger(IncidentStore store, IncidentMembers members, Instant now, ApplicationEventPublisher events) {
		this.store = store;
		this.members = members;
		this.now = now;
		this.events = events;
	}

	/**
	 * @return the errors moved
	 */
	List<UUID> merge(IncidentRow from, IncidentRow into, String actor, String why, boolean pin) {
		List<UUID> moved = new ArrayList<>();
		for (IncidentMembers.Member member : this.members.members(from.id())) {
			this.members.detach(from.id(), member.errorId());
			String role = member.source().equals(into.rootAgent()) ? "root" : pin ? member.role() : "symptom";
			this.members.attach(into.id(), member.errorId(), member.source(), role, member.path(),
					pin ? "manual" : "merge");
			if (pin) {
				this.members.pin(member.errorId(), into.id(), actor);
			}
			moved.add(member.errorId());
		}
		this.members.repin(from.id(), into.id());
		this.store.refresh(into.id(), from.severity(), from.lastActivityAt());
		this.store.refresh(from.id(), from.severity(), from.lastActivityAt());
		this.store.setStatus(from.id(), IncidentStatus.CLOSED, actor, "merged into " + into.id());
		this.store.mergedInto(from.id(), into.id());
		this.store.timeline(from.id(), "merged_into", actor, Map.of("incident_id", into.id().toString(), "why", why));
		this.store.timeline(into.id(), "merged", actor, Map.of("incident_id", from.id().toString(), "why", why,
				"error_ids", moved.stream().map(UUID::toString).toList()));
		this.events.publishEvent(new IncidentResolved(from.id(), IncidentStatus.CLOSED, actor, into.id(), this.now));
		this.events.publishEvent(new IncidentUpdated(into.id(), "merged", into.rootAgent(), moved, this.now));
		return moved;
	}

}
