package io.rebound.shared;

import java.sql.Timestamp;
import java.time.Instant;

/** JDBC timestamps and instants, either of which may be {@code null}. */
public final class Timestamps {

	private Timestamps() {
	}

	/**
	 * @param timestamp a column's value, or {@code null}
	 * @return the instant, or {@code null}
	 */
	public static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * @param instant an instant, or {@code null}
	 * @return the parameter's value, or {@code null}
	 */
	public static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

}
