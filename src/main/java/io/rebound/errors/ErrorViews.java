package io.rebound.errors;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * What the errors API answers with; field names become snake_case in JSON.
 */
final class ErrorViews {

	private ErrorViews() {
	}

	record ErrorSummary(UUID id, String fingerprint, String source, String type, Category category, Severity severity,
			ErrorStatus status, long count, Instant firstSeen, Instant lastSeen, Instant lastReceived, String message) {
	}

	record Resolution(Instant resolvedAt, String resolvedBy, String note) {
	}

	/**
	 * One error in full.
	 *
	 * @param id its id
	 * @param fingerprint its fingerprint
	 * @param source the reporting agent
	 * @param type its type
	 * @param category its category
	 * @param severity the highest severity seen
	 * @param status its status
	 * @param count every event counted, stored or not
	 * @param suppressed of which counted but not stored one by one (over a noise limit)
	 * @param firstSeen the first event's time
	 * @param lastSeen the latest event's time, by the agent's clock
	 * @param lastReceived when the latest event reached the bus, on the broker's or
	 * Rebound's clock — what regressions and windows are decided on
	 * @param message the latest message
	 * @param resolution who resolved it, or {@code null}
	 * @param regressedAt when it last came back, or {@code null}
	 * @param rules what the correlation rules made of it, or {@code null}
	 * @param grouping why its events were grouped
	 * @param latestEvent the latest stored event
	 */
	record ErrorDetails(UUID id, String fingerprint, String source, String type, Category category, Severity severity,
			ErrorStatus status, long count, long suppressed, Instant firstSeen, Instant lastSeen, Instant lastReceived,
			String message, Resolution resolution, Instant regressedAt, Rules rules, @JsonRawValue String grouping,
			EventView latestEvent, Instant escalatingSince, @JsonRawValue String escalation) {
	}

	/**
	 * The matching rule's verdict.
	 *
	 * @param ruleId the rule
	 * @param cause the probable cause
	 * @param confidence how sure
	 * @param errorClass transient, recoverable or fatal
	 * @param recovery the recommended recovery
	 */
	record Rules(String ruleId, String cause, double confidence, String errorClass, String recovery) {
	}

	record EventView(UUID eventId, UUID errorId, String source, String type, Severity severity, Category category,
			String message, Instant timestamp, Instant receivedAt, @JsonRawValue String context, String topic,
			int partition, long offset) {
	}

}
