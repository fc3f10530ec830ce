package io.rebound.degradation;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How degraded the fleet is, from the features that are off (the seeds' levels): every
 * feature on is {@code full}; only optional ones off {@code minor}; an important one
 * {@code moderate}; a critical one {@code severe}; an essential one {@code minimal};
 * every essential one (or, without essential features, every feature) {@code emergency}.
 */
public enum FleetLevel {

	FULL, MINOR, MODERATE, SEVERE, MINIMAL, EMERGENCY;

	/** Its name as shown. */
	@JsonValue
	public String wire() {
		return name().toLowerCase(Locale.ROOT);
	}

}
