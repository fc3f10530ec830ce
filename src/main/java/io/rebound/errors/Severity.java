package io.rebound.errors;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.rebound.shared.Wire;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How bad an error is, from the event contract. Each severity has its own topic.
 */
public enum Severity implements Wire {

	CRITICAL(5), HIGH(4), MEDIUM(3), LOW(2), INFO(1);

	private final int rank;

	private final String wire;

	Severity(int rank) {
		this.rank = rank;
		this.wire = name().toLowerCase(Locale.ROOT);
	}

	public int rank() {
		return this.rank;
	}

	/** The contract's spelling, as in JSON, topic names and the database. */
	@Override
	@JsonValue
	public String wire() {
		return this.wire;
	}

	public Severity max(Severity other) {
		return (other.rank > this.rank) ? other : this;
	}

	/** This severity and every more severe one. */
	public List<Severity> atLeast() {
		return Arrays.stream(values()).filter((s) -> s.rank >= this.rank).toList();
	}

	/** The severity with this wire name, or {@code null}. */
	public static Severity fromWire(String value) {
		return Wire.lookup(Severity.class, value);
	}

	@Override
	public String toString() {
		return this.wire;
	}

}
