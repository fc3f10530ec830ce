package io.rebound.errors;

import java.time.Instant;
import java.util.UUID;

/**
 * One valid error occurrence, as the event contract defines it, with its fingerprint.
 *
 * @param eventId the idempotency key
 * @param source the reporting agent
 * @param type the agent's error type
 * @param severity how bad it is
 * @param category given by the agent or inferred
 * @param message what the agent said
 * @param occurredAt when it happened (UTC when the agent gave no offset)
 * @param contextJson the context object as JSON text
 * @param fingerprint how it groups
 * @param classification what the correlation rules made of it
 */
public record ErrorEvent(UUID eventId, String source, String type, Severity severity, Category category, String message,
		Instant occurredAt, String contextJson, Fingerprint fingerprint, Classification classification) {

	public ErrorEvent(UUID eventId, String source, String type, Severity severity, Category category, String message,
			Instant occurredAt, String contextJson, Fingerprint fingerprint) {
		this(eventId, source, type, severity, category, message, occurredAt, contextJson, fingerprint,
				Classification.NONE);
	}

	public UUID errorId() {
		return this.fingerprint.errorId();
	}

}
