package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A named lease in PostgreSQL, on the database's clock: the holder renews it before it
 * expires; anyone else takes it over once it has expired. Each change of holder raises
 * the fencing token, which writes of the leader carry, so that a leader that stalled past
 * its lease (a long GC pause, a partition) cannot write after another took over.
 */
final class Lease {

	/**
	 * A held lease.
	 *
	 * @param holder who holds it
	 * @param token its fencing token
	 * @param expiresAt when it expires unless renewed
	 */
	record Held(String holder, long token, Instant expiresAt) {
	}

	private final JdbcTemplate jdbc;

	private final String name;

	private final String holder;

	private final Duration ttl;

	Lease(JdbcTemplate jdbc, String name, String holder, Duration ttl) {
		this.jdbc = jdbc;
		this.name = name;
		this.holder = holder;
		this.ttl = ttl;
	}

	/**
	 * Takes or renews the lease.
	 * @return the lease when this holder has it now
	 */
	Optional<Held> acquire() {
		List<Held> held = this.jdbc.query("""
				INSERT INTO leases AS l (name, holder, token, expires_at)
				VALUES (?, ?, 1, now() + ? * interval '1 millisecond')
				ON CONFLICT (name) DO UPDATE SET
				    token = CASE WHEN l.holder = EXCLUDED.holder THEN l.token ELSE l.token + 1 END,
				    acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE now() END,
				    holder = EXCLUDED.holder,
				    expires_at = EXCLUDED.expires_at
				WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
				RETURNING holder, token, expires_at
				""", (rs, n) -> new Held(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()), this.name,
				this.holder, this.ttl.toMillis());
		return held.stream().findFirst();
	}

	/** Gives the lease up at once (a clean shutdown), so another need not wait for it. */
	void release() {
		this.jdbc.update(
				"UPDATE leases SET expires_at = now() - interval '1 millisecond' WHERE name = ? AND holder = ?",
				this.name, this.holder);
	}

	/** Who holds the lease now, if anyone. */
	Optional<Held> current() {
		return this.jdbc
			.query("SELECT holder, token, expires_at FROM leases WHERE name = ? AND expires_at >= now()",
					(rs, n) -> new Held(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()), this.name)
			.stream()
			.findFirst();
	}

	/**
	 * Whether the token is still the lease's, checked in the caller's transaction: a
	 * write of a leader goes through only while this holds (the row is locked until
	 * commit).
	 */
	boolean stillHeld(long token) {
		Boolean held = this.jdbc.query("""
				SELECT token = ? AND holder = ? AND expires_at >= now() FROM leases WHERE name = ? FOR SHARE
				""", (rs) -> rs.next() ? rs.getBoolean(1) : Boolean.FALSE, token, this.holder, this.name);
		return Boolean.TRUE.equals(held);
	}

}
