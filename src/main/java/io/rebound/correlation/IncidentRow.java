package io.rebound.correlation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An incident as stored, without its errors and timeline.
 *
 * @param id its id
 * @param status where it stands
 * @param kind what opened it: {@code rule}, {@code burst}, {@code severity},
 * {@code dependency}, {@code recurrence} or {@code manual}
 * @param key what it correlates on, like {@code cause:connection_refused@db-1:5432} or
 * {@code agent:db-1}
 * @param title one line for people
 * @param severity its errors' highest severity
 * @param cause the probable cause, or {@code null}
 * @param ruleId the rule behind the cause, or {@code null}
 * @param errorClass the cause's error class, or {@code null}
 * @param recovery the recommended recovery, or {@code null}
 * @param rootAgent the agent at the root, or {@code null}
 * @param rootErrorId the root agent's main error, or {@code null}
 * @param rootPath from a symptom's agent to the root, for dependency roots
 * @param previousIncidentId the resolved incident this one recurs, or {@code null}
 * @param mergedInto the incident this one was merged into, or {@code null}
 * @param errorCount its current errors
 * @param sourceCount the agents they come from
 * @param openedAt when it opened
 * @param lastActivityAt its errors' latest activity
 * @param resolvedAt when it was resolved, or {@code null}
 */
record IncidentRow(UUID id, IncidentStatus status, String kind, String key, String title, String severity, String cause,
		String ruleId, String errorClass, String recovery, String rootAgent, UUID rootErrorId, List<String> rootPath,
		UUID previousIncidentId, UUID mergedInto, int errorCount, int sourceCount, Instant openedAt,
		Instant lastActivityAt, Instant resolvedAt) {

}
