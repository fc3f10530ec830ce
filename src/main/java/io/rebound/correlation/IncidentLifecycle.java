package io.rebound.correlation;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rebound.errors.ErrorFacts;
import io.rebound.security.Audit;
import io.rebound.web.ProblemException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What people (and recovery) do to incidents: resolve, close, merge, split and mark as
 * being mitigated. Each change takes correlation's lock, so it never interleaves with a
 * correlator round; its events are published in that transaction.
 */
@Component
class IncidentLifecycle {

	private final IncidentStore store;

	private final IncidentMembers members;

	private final ErrorFacts facts;

	private final TransactionTemplate transaction;

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	private final Audit audit;

	IncidentLifecycle(IncidentStore store, IncidentMembers members, ErrorFacts facts,
			PlatformTransactionManager transactions, ApplicationEventPublisher publisher, Clock clock, Audit audit) {
		this.audit = audit;
		this.store = store;
		this.members = members;
		this.facts = facts;
		this.transaction = new TransactionTemplate(transactions);
		this.publisher = publisher;
		this.clock = clock;
	}

	void resolve(UUID id, String by, String note) {
		change(id, "incident.resolve", Map.of("by", by, "note", String.valueOf(note)), (incident, events) -> {
			if (incident.status() == IncidentStatus.RESOLVED) {
				return null;
			}
			requireNot(incident, IncidentStatus.CLOSED, "resolve");
			events.publishEvent(IncidentEndings.end(this.store, this.members, this.facts, incident,
					IncidentStatus.RESOLVED, by, note, this.clock.instant()));
			return null;
		});
	}

	void close(UUID id, String by, String note) {
		change(id, "incident.close", Map.of("by", by, "note", String.valueOf(note)), (incident, events) -> {
			if (incident.status() == IncidentStatus.CLOSED) {
				return null;
			}
			events.publishEvent(IncidentEndings.end(this.store, this.members, this.facts, incident,
					IncidentStatus.CLOSED, by, note, this.clock.instant()));
			return null;
		});
	}

	void mitigating(UUID id, String by) {
		change(id, "incident.mitigating", Map.of("by", by), (incident, events) -> {
			if (incident.status() == IncidentStatus.OPEN) {
				this.store.setStatus(id, IncidentStatus.MITIGATING, by, null);
				this.store.timeline(id, "mitigating", by, Map.of());
				events.publishEvent(
						new IncidentUpdated(id, "status", incident.rootAgent(), List.of(), this.clock.instant()));
			}
			return null;
		});
	}

	/**
	 * Merges the other incidents into this one; their errors stay with it from now on.
	 */
	void merge(UUID id, List<UUID> others, String by) {
		change(id, "incident.merge", Map.of("by", by, "incidents", others.stream().map(UUID::toString).toList()),
				(into, events) -> {
					requireActive(into, "merge into");
					for (UUID other : new HashSet<>(others)) {
						if (other.equals(id)) {
							throw conflict("cannot-merge", "An incident cannot be merged into itself.");
						}
						IncidentRow from = this.store.lockById(other)
							.orElseThrow(() -> ProblemException.notFound("Incident", other));
						requireActive(from, "merge");
						new Merger(this.store, this.members, this.clock.instant(), events).merge(from, into, by,
								"merged by " + by, true);
					}
					return null;
				});
	}

	/**
	 * Moves some of this incident's errors into a new incident of their own.
	 * @return the new incident's id
	 */
	UUID split(UUID id, List<UUID> errorIds, String by, String note) {
		return change(id, "incident.split", Map.of("by", by, "error_ids",
				errorIds.stream().map(UUID::toString).toList(), "note", String.valueOf(note)), (incident, events) -> {
					requireActive(incident, "split");
					Map<UUID, IncidentMembers.Member> members = new LinkedHashMap<>();
					this.members.members(id).forEach((m) -> members.put(m.errorId(), m));
					Set<UUID> chosen = new HashSet<>(errorIds);
					for (UUID errorId : chosen) {
						if (!members.containsKey(errorId)) {
							throw ProblemException.badRequest("invalid-split", "Invalid split",
									"Error " + errorId + " is not part of incident " + id + ".");
						}
					}
					if (chosen.size() == members.size()) {
						throw ProblemException.badRequest("invalid-split", "Invalid split",
								"The split would take every error of the incident; close or resolve it instead.");
					}
					Instant now = this.clock.instant();
					UUID split = UUID.randomUUID();
					List<IncidentMembers.Member> moving = members.values()
						.stream()
						.filter((m) -> chosen.contains(m.errorId()))
						.toList();
					String root = moving.get(0).source();
					IncidentRow row = new IncidentRow(split, IncidentStatus.OPEN, "manual", "manual:" + split,
							"Split from: " + incident.title(), incident.severity(), incident.cause(), incident.ruleId(),
							incident.errorClass(), incident.recovery(), root, null, List.of(), null, null, 0, 0, now,
							now, null);
					Map<String, Object> reason = new LinkedHashMap<>();
					reason.put("split_from", id.toString());
					reason.put("by", by);
					reason.put("note", String.valueOf(note));
					this.store.insert(row, reason);
					for (IncidentMembers.Member member : moving) {
						this.members.detach(id, member.errorId());
						this.members.attach(split, member.errorId(), member.source(),
								member.source().equals(root) ? "root" : "member", List.of(), "manual");
						this.members.pin(member.errorId(), split, by);
					}
					this.store.refresh(split, incident.severity(), incident.lastActivityAt());
					this.store.refresh(id, incident.severity(), incident.lastActivityAt());
					this.store.timeline(split, "opened", by, reason);
					this.store.timeline(id, "split", by, Map.of("incident_id", split.toString(), "error_ids",
							chosen.stream().map(UUID::toString).toList()));
					String category = this.facts.byIds(List.of(moving.get(0).errorId()))
						.stream()
						.map((e) -> e.category().wire())
						.findFirst()
						.orElse(null);
					events.publishEvent(new IncidentOpened(split, "manual", incident.severity(), category,
							incident.cause(), incident.errorClass(), RecoveryDirective.tryParse(incident.recovery()),
							root, null, List.copyOf(chosen), now));
					events
						.publishEvent(new IncidentUpdated(id, "split", incident.rootAgent(), List.copyOf(chosen), now));
					return split;
				});
	}

	private interface Change<T> {

		T apply(IncidentRow incident, ApplicationEventPublisher events);

	}

	private <T> T change(UUID id, String action, Map<String, ?> detail, Change<T> change) {
		T result = this.transaction.execute((status) -> {
			this.store.lock();
			IncidentRow incident = this.store.lockById(id).orElseThrow(() -> ProblemException.notFound("Incident", id));
			T changed = change.apply(incident, this.publisher);
			this.audit.record(action, id.toString(), detail);
			return changed;
		});
		return result;
	}

	private static void requireActive(IncidentRow incident, String action) {
		if (!incident.status().active()) {
			throw conflict("incident-" + incident.status().wire(), "Cannot " + action + " incident " + incident.id()
					+ ": it is " + incident.status().wire() + ". A recurrence opens a new incident.");
		}
	}

	private static void requireNot(IncidentRow incident, IncidentStatus status, String action) {
		if (incident.status() == status) {
			requireActive(incident, action);
		}
	}

	private static ProblemException conflict(String slug, String detail) {
		return new ProblemException(HttpStatus.CONFLICT, slug, "Conflict", detail, null);
	}

}
