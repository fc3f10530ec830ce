package io.rebound.correlation;

import java.util.Locale;

import io.rebound.shared.Wire;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where an incident stands: {@code open → mitigating → resolved}, and {@code closed}. */
public enum IncidentStatus implements Wire {

	/** Errors are gathering; nobody is acting yet. */
	OPEN,
	/** Recovery is acting on it. */
	MITIGATING,
	/** Over: by a person, by recovery, or after a quiet spell. Never takes new errors. */
	RESOLVED,
	/** Closed by a person, or merged into another incident. */
	CLOSED;

	@Override
	@JsonValue
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	public boolean active() {
		return this == OPEN || this == MITIGATING;
	}

	public static IncidentStatus fromWire(String value) {
		return Wire.lookup(IncidentStatus.class, value);
	}

}
