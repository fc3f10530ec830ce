package io.rebound.recovery;

import java.util.Locale;

import io.rebound.shared.Wire;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a recovery run stands, as stored and shown. */
enum RunStatus implements Wire {

	/** The ladder steps it. */
	RUNNING,
	/**
	 * A person must act: the ladder is exhausted, or it was never for automatic recovery.
	 */
	WAITING_PERSON,
	/** Level 5 waits for a person's approval. */
	WAITING_APPROVAL,
	/** Verified recovered; its incident is resolved. */
	SUCCEEDED,
	/** Its incident ended otherwise. */
	CANCELLED;

	@Override
	@JsonValue
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	boolean ended() {
		return this == SUCCEEDED || this == CANCELLED;
	}

	static RunStatus fromWire(String value) {
		return Wire.lookup(RunStatus.class, value);
	}

}
