package io.rebound.errors;

import java.util.Locale;

import io.rebound.shared.Wire;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What part of the system an error belongs to, from the event contract.
 */
public enum Category implements Wire {

	NETWORK, RESOURCE, HARDWARE, SYSTEM, DATABASE, WORKER, CONFIGURATION, SECURITY, INPUT, UNKNOWN;

	private final String wire = name().toLowerCase(Locale.ROOT);

	@Override
	@JsonValue
	public String wire() {
		return this.wire;
	}

	/** The category with this wire name, or {@code null}. */
	public static Category fromWire(String value) {
		return Wire.lookup(Category.class, value);
	}

	@Override
	public String toString() {
		return this.wire;
	}

}
