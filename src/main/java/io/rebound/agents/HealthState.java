package io.rebound.agents;

import java.util.Locale;

import io.rebound.shared.Wire;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An agent's health. {@code unknown} until its first heartbeat; {@code stopped} when it
 * said it was stopping, which is not a failure.
 */
public enum HealthState implements Wire {

	UNKNOWN(0), HEALTHY(0), DEGRADED(1), CRITICAL(2), FAILED(3), STOPPED(0);

	private final int badness;

	private final String wire = name().toLowerCase(Locale.ROOT);

	HealthState(int badness) {
		this.badness = badness;
	}

	/** 0 for the states that are no trouble, 1–3 for degraded, critical, failed. */
	public int badness() {
		return this.badness;
	}

	/** Whether heartbeats are expected: the sweeper watches these. */
	boolean isWatched() {
		return this == HEALTHY || this == DEGRADED || this == CRITICAL;
	}

	@Override
	@JsonValue
	public String wire() {
		return this.wire;
	}

	/** The state with this wire name, or {@code null}. */
	public static HealthState fromWire(String value) {
		return Wire.lookup(HealthState.class, value);
	}

}
