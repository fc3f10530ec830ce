package io.rebound.ingest;

import java.util.Locale;

import org.springframework.modulith.NamedInterface;

/**
 * Why a record was dead-lettered; the metric's {@code reason} tag and the
 * {@code rebound-dlt-reason-code} header.
 */
@NamedInterface("bus")
public enum DeadLetterReason {

	/** Not JSON, or empty. */
	UNREADABLE,

	/** JSON that breaks the event contract. */
	CONTRACT,

	/** Larger than {@code rebound.ingest.max-record-size}. */
	TOO_LARGE;

	String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
