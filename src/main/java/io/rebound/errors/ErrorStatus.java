package io.rebound.errors;

import java.util.Locale;

import io.rebound.shared.Wire;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where an error stands: {@code open} when new, {@code resolved} by a person,
 * {@code regressed} when it recurs after that, {@code suppressed} when muted.
 */
public enum ErrorStatus implements Wire {

	OPEN, RESOLVED, REGRESSED, SUPPRESSED;

	private final String wire = name().toLowerCase(Locale.ROOT);

	@Override
	@JsonValue
	public String wire() {
		return this.wire;
	}

	/** The status with this wire name, or {@code null}. */
	public static ErrorStatus fromWire(String value) {
		return Wire.lookup(ErrorStatus.class, value);
	}

}
