package io.rebound.correlation;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.rebound.errors.ErrorFacts;
import io.rebound.errors.Severity;
import io.rebound.web.Cursor;
import io.rebound.web.Page;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads incidents for the API: pages of them, newest first, and one in full. */
@Component
class IncidentQueries {

	private static final String LISTING = "incidents";

	/**
	 * What a listing keeps.
	 *
	 * @param status only this status, or {@code null}
	 * @param severities only these, or {@code null} for any
	 * @param rootAgent only incidents rooted at this agent, or {@code null}
	 * @param cause only this cause, or {@code null}
	 * @param since opened at or after, or {@code null}
	 * @param until opened before, or {@code null}
	 */
	record Filter(IncidentStatus status, List<Severity> severities, String rootAgent, String agent, String cause,
			Instant since, Instant until) {
	}

	/**
	 * One of an incident's errors.
	 *
	 * @param errorId the error
	 * @param source its agent
	 * @param type its type
	 * @param severity its severity
	 * @param status its status
	 * @param cause its rule's cause
	 * @param count its events
	 * @param lastSeen its latest event
	 * @param message its latest message (first 500 characters)
	 * @param role {@code root}, {@code member} or {@code symptom}
	 * @param root for a symptom: the root agent and its main error
	 * @param path for a symptom: from its agent to the root
	 * @param addedBy what put it there ({@code rule}, {@code dependency}, {@code manual},
	 * …)
	 * @param addedAt when
	 */
	record IncidentError(UUID errorId, String source, String type, String severity, String status, String cause,
			long count, Instant lastSeen, String message, String role, Root root, List<String> path, String addedBy,
			Instant addedAt) {
	}

	/**
	 * A symptom's link to its root.
	 *
	 * @param agent the root agent
	 * @param errorId its main error, or {@code null}
	 */
	record Root(String agent, UUID errorId) {
	}

	/**
	 * One entry of an incident's timeline.
	 *
	 * @param at when
	 * @param kind what happened
	 * @param actor who or what did it
	 * @param detail the figures
	 */
	record Entry(Instant at, String kind, String actor, JsonNode detail) {
	}

	/**
	 * An incident in full.
	 *
	 * @param incident the incident
	 * @param reason why it was opened: the rule, the window figures, the dependency path
	 * @param note a person's note, or {@code null}
	 * @param errors its current errors
	 * @param timeline what happened to it, oldest first
	 */
	record IncidentDetails(@JsonUnwrapped IncidentRow incident, JsonNode reason, String note,
			List<IncidentError> errors, List<Entry> timeline) {
	}

	private final JdbcTemplate jdbc;

	private final IncidentStore store;

	private final IncidentMembers members;

	private final ErrorFacts facts;

	IncidentQueries(JdbcTemplate jdbc, IncidentStore store, IncidentMembers members, ErrorFacts facts) {
		this.jdbc = jdbc;
		this.store = store;
		this.members = members;
		this.facts = facts;
	}

	Page<IncidentRow> list(Filter filter, String cursor, int limit) {
		StringBuilder sql = new StringBuilder("SELECT * FROM incidents WHERE true");
		List<Object> args = new ArrayList<>();
		if (filter.status() != null) {
			sql.append(" AND status = ?");
			args.add(filter.status().wire());
		}
		if (filter.severities() != null) {
			sql.append(" AND severity = ANY (?)");
			args.add(filter.severities().stream().map(Severity::wire).toArray(String[]::new));
		}
		if (filter.rootAgent() != null) {
			sql.append(" AND root_agent = ?");
			args.add(filter.rootAgent());
		}
		if (filter.agent() != null) {
			sql.append(" AND (root_agent = ? OR id IN (SELECT ie.incident_id FROM incident_errors ie"
					+ " WHERE ie.source = ? AND ie.current))");
			args.add(filter.agent());
			args.add(filter.agent());
		}
		if (filter.cause() != null) {
			sql.append(" AND cause = ?");
			args.add(filter.cause());
		}
		if (filter.since() != null) {
			sql.append(" AND opened_at >= ?");
			args.add(Timestamp.from(filter.since()));
		}
		if (filter.until() != null) {
			sql.append(" AND opened_at < ?");
			args.add(Timestamp.from(filter.until()));
		}
		if (cursor != null) {
			Cursor position = Cursor.decode(LISTING, cursor, 2);
			sql.append(" AND (opened_at, id) < (?, ?)");
			args.add(Timestamp.from(Instant.EPOCH.plus(position.number(0), ChronoUnit.MICROS)));
			args.add(position.uuid(1));
		}
		sql.append(" ORDER BY opened_at DESC, id DESC LIMIT ?");
		args.add(limit + 1);
		List<IncidentRow> rows = this.jdbc.query(sql.toString(), IncidentStore.ROW, args.toArray());
		if (rows.size() <= limit) {
			return new Page<>(rows, null);
		}
		IncidentRow last = rows.get(limit - 1);
		return new Page<>(rows.subList(0, limit),
				Cursor.encode(LISTING, ChronoUnit.MICROS.between(Instant.EPOCH, last.openedAt()), last.id()));
	}

	Optional<IncidentDetails> get(UUID id) {
		return this.store.find(id).map((incident) -> {
			Map<String, Object> extra = this.jdbc
				.queryForMap("SELECT reason::text AS reason, note FROM incidents WHERE id = ?", id);
			List<IncidentMembers.Member> members = this.members.members(id);
			Map<UUID, ErrorFacts.Fact> errors = this.facts
				.byIds(members.stream().map(IncidentMembers.Member::errorId).toList())
				.stream()
				.collect(Collectors.toMap(ErrorFacts.Fact::id, Function.identity()));
			List<IncidentError> views = new ArrayList<>();
			for (IncidentMembers.Member member : members) {
				ErrorFacts.Fact error = errors.get(member.errorId());
				if (error == null) {
					continue;
				}
				Root root = member.role().equals("symptom") && incident.rootAgent() != null
						? new Root(incident.rootAgent(), incident.rootErrorId()) : null;
				views.add(new IncidentError(error.id(), error.source(), error.type(), error.severity().wire(),
						error.status().wire(), error.cause(), error.count(), error.lastSeen(), error.message(),
						member.role(), root, member.path(), member.addedBy(), member.addedAt()));
			}
			List<Entry> timeline = this.jdbc.query(
					"SELECT at, kind, actor, detail::text FROM incident_timeline WHERE incident_id = ? ORDER BY id",
					(rs, n) -> new Entry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
							RuleRepository.JSON.readTree(rs.getString(4))),
					id);
			return new IncidentDetails(incident, RuleRepository.JSON.readTree((String) extra.get("reason")),
					(String) extra.get("note"), views, timeline);
		});
	}

}
