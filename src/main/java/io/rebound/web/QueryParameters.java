package io.rebound.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The query string of a listing, checked: an unknown parameter or value is a 400 that
 * names it and says what would be accepted, never silently ignored.
 */
public final class QueryParameters {

	public static final int DEFAULT_LIMIT = 50;

	public static final int MAX_LIMIT = 500;

	private final Map<String, String> params;

	public QueryParameters(Map<String, String> params, Set<String> allowed) {
		for (String name : params.keySet()) {
			if (!allowed.contains(name)) {
				throw invalid("Unknown parameter '" + name + "'; this endpoint takes " + new TreeSet<>(allowed) + ".");
			}
		}
		this.params = params;
	}

	public String text(String name) {
		String value = this.params.get(name);
		return (value == null || value.isEmpty()) ? null : value;
	}

	/**
	 * One of a fixed set of values.
	 * @param name the parameter
	 * @param parse the value for a spelling, or {@code null} when there is none
	 * @param accepted the spellings, for the error message
	 */
	public <E> E choice(String name, Function<String, E> parse, List<String> accepted) {
		String value = text(name);
		if (value == null) {
			return null;
		}
		E choice = parse.apply(value);
		if (choice == null) {
			throw invalid("'" + value + "' is not a valid " + name + "; use one of " + accepted + ".");
		}
		return choice;
	}

	public Instant instant(String name) {
		String value = text(name);
		if (value == null) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw invalid(
					"'" + name + "' must be an ISO-8601 instant such as 2026-11-22T14:00:00Z, not '" + value + "'.");
		}
	}

	public int limit() {
		String value = text("limit");
		if (value == null) {
			return DEFAULT_LIMIT;
		}
		try {
			int limit = Integer.parseInt(value);
			if (limit >= 1 && limit <= MAX_LIMIT) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw invalid("'limit' must be a whole number from 1 to " + MAX_LIMIT + ", not '" + value + "'.");
	}

	/** The opaque cursor, or {@code null}. */
	public String cursor() {
		return text("cursor");
	}

	private static ProblemException invalid(String detail) {
		return ProblemException.badRequest("invalid-parameter", "Invalid parameter", detail);
	}

}
