package io.rebound.errors;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.rebound.web.ProblemException;

/**
 * The query string of a listing, checked: an unknown parameter or value is a 400 that
 * names it and says what would be accepted, never silently ignored.
 */
final class QueryParameters {

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 500;

	private final Map<String, String> params;

	QueryParameters(Map<String, String> params, Set<String> allowed) {
		for (String name : params.keySet()) {
			if (!allowed.contains(name)) {
				throw invalid("Unknown parameter '" + name + "'; this endpoint takes " + new TreeSet<>(allowed) + ".");
			}
		}
		this.params = params;
	}

	String text(String name) {
		String value = this.params.get(name);
		return (value == null || value.isEmpty()) ? null : value;
	}

	Severity severity(String name) {
		return choice(name, Severity.class);
	}

	Category category(String name) {
		return choice(name, Category.class);
	}

	ErrorStatus status(String name) {
		return choice(name, ErrorStatus.class);
	}

	private <E extends Enum<E> & Wire> E choice(String name, Class<E> type) {
		String value = text(name);
		if (value == null) {
			return null;
		}
		E choice = Wire.lookup(type, value);
		if (choice == null) {
			List<String> accepted = Arrays.stream(type.getEnumConstants()).map(Wire::wire).toList();
			throw invalid("'" + value + "' is not a valid " + name + "; use one of " + accepted + ".");
		}
		return choice;
	}

	Instant instant(String name) {
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

	int limit() {
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

	Cursor cursor() {
		String value = text("cursor");
		return (value != null) ? Cursor.decode(value) : null;
	}

	private static ProblemException invalid(String detail) {
		return ProblemException.badRequest("invalid-parameter", "Invalid parameter", detail);
	}

}
