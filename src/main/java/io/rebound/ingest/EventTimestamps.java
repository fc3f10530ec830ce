package io.rebound.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The contract's timestamps: ISO-8601 with {@code T} or a space, UTC when no offset is
 * given (as Python's {@code isoformat()} writes them), years 1970 to 9999.
 */
final class EventTimestamps {

	private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

	private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

	private EventTimestamps() {
	}

	static Instant parse(String text, List<Violation> violations) {
		String iso = (text.length() > 10 && text.charAt(10) == ' ') ? text.replace(' ', 'T') : text;
		try {
			Instant fast = hasOffset(iso) ? null : plainLocal(iso);
			Instant instant = (fast != null) ? fast
					: hasOffset(iso) ? OffsetDateTime.parse(iso.toUpperCase()).toInstant()
							: LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
			if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
				violations.add(new Violation("timestamp", "must lie between 1970 and 9999, not " + text));
			}
			return instant;
		}
		catch (DateTimeException ex) {
			violations.add(new Violation("timestamp",
					"'" + text + "' is not an ISO-8601 date-time (e.g. 2026-11-22T14:03:07.123456 or ...+02:00)"));
			return null;
		}
	}

	/**
	 * The shape Python's {@code isoformat()} writes, {@code yyyy-MM-ddTHH:mm:ss[.ffffff]}
	 * in UTC, read without the general parser (it runs for every event); {@code null} for
	 * any other shape, which the general parser then reads.
	 */
	private static Instant plainLocal(String iso) {
		int n = iso.length();
		if (n < 19 || n > 29 || iso.charAt(4) != '-' || iso.charAt(7) != '-' || iso.charAt(10) != 'T'
				|| iso.charAt(13) != ':' || iso.charAt(16) != ':' || (n > 19 && (iso.charAt(19) != '.' || n == 20))) {
			return null;
		}
		int nanos = 0;
		for (int i = 20; i < 29; i++) {
			int digit = (i < n) ? iso.charAt(i) - '0' : 0;
			if (digit < 0 || digit > 9) {
				return null;
			}
			nanos = nanos * 10 + digit;
		}
		int year = digits(iso, 0, 4);
		int month = digits(iso, 5, 2);
		int day = digits(iso, 8, 2);
		int hour = digits(iso, 11, 2);
		int minute = digits(iso, 14, 2);
		int second = digits(iso, 17, 2);
		if ((year | month | day | hour | minute | second) < 0) {
			return null;
		}
		// out-of-range fields throw DateTimeException, reported like any unparseable
		// timestamp
		return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
	}

	private static int digits(String text, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			int digit = text.charAt(i) - '0';
			if (digit < 0 || digit > 9) {
				return -1;
			}
			value = value * 10 + digit;
		}
		return value;
	}

	/** The schema allows only {@code Z} or {@code ±hh:mm} as an offset. */
	private static boolean hasOffset(String iso) {
		int n = iso.length();
		return iso.endsWith("Z") || iso.endsWith("z")
				|| (n > 6 && (iso.charAt(n - 6) == '+' || iso.charAt(n - 6) == '-') && iso.charAt(n - 3) == ':');
	}

}
