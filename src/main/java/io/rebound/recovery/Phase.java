package io.rebound.recovery;

import java.util.Locale;

import io.rebound.shared.Wire;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a running run is within its level, as stored. */
enum Phase implements Wire {

	/** The next step carries the level's action out. */
	ACT,
	/** Its calls are being made; due again only if they never report. */
	ACTING,
	/** The next step checks whether the last action worked. */
	VERIFY;

	@Override
	@JsonValue
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Phase fromWire(String value) {
		return Wire.lookup(Phase.class, value);
	}

}
