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
			ErrorStatus status, long count, Instant firstSeen, Instant lastSeen, String message) {
	}

	record Resolution(Instant resolvedAt, String resolvedBy, String note) {
	}

	record ErrorDetails(UUID id, String fingerprint, String source, String type, Category category, Severity severity,
			ErrorStatus status, long count, Instant firstSeen, Instant lastSeen, String message, Resolution resolution,
			Instant regressedAt, @JsonRawValue String grouping, EventView latestEvent) {
	}

	record EventView(UUID eventId, UUID errorId, String source, String type, Severity severity, Category category,
			String message, Instant timestamp, Instant receivedAt, @JsonRawValue String context, String topic,
			int partition, long offset) {
	}

}
