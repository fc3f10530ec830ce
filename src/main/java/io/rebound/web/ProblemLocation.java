package io.rebound.web;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Where in a JSON document parsing failed, for a message a person can act on.
 */
public final class ProblemLocation {

	private ProblemLocation() {
	}

	/** {@code " at line L, column C"}, or nothing when the parser did not say. */
	public static String of(JacksonException ex) {
		TokenStreamLocation location = ex.getLocation();
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
	}

}
