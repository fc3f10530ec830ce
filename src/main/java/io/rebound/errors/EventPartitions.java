package io.rebound.errors;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The day partitions of {@code error_events} (by day of receipt, UTC): created a week
 * ahead at start-up and every hour, by one instance at a time (an advisory lock), and
 * dropped whole once older than retention. What no day's partition takes lands in
 * {@code error_events_default}, never lost.
 */
@Component
public class EventPartitions {

	private static final Logger log = LoggerFactory.getLogger(EventPartitions.class);

	/** Days of partitions kept ready after today. */
	static final int AHEAD = 7;

	private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'error_events_p'yyyyMMdd");

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	EventPartitions(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactions);
	}

	@Scheduled(initialDelayString = "PT0S", fixedDelayString = "PT1H")
	void scheduled() {
		try {
			createAhead(Instant.now());
		}
		catch (RuntimeException ex) {
			log.warn("Creating error_events partitions failed; tried again in an hour: {}", ex.toString());
		}
	}

	/**
	 * Creates the partitions from the day of {@code now} to {@link #AHEAD} days after.
	 */
	int createAhead(Instant now) {
		return this.transaction.execute((status) -> {
			if (!Boolean.TRUE.equals(this.jdbc.queryForObject(
					"SELECT pg_try_advisory_xact_lock(hashtext('rebound.error_events.partitions'))", Boolean.class))) {
				return 0; // another instance is at it
			}
			List<String> existing = partitions();
			LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
			int created = 0;
			for (int i = 0; i <= AHEAD; i++) {
				LocalDate day = today.plusDays(i);
				String name = NAME.format(day);
				if (!existing.contains(name)) {
					this.jdbc.execute("CREATE TABLE " + name + " PARTITION OF error_events FOR VALUES FROM ('" + day
							+ "T00:00:00Z') TO ('" + day.plusDays(1) + "T00:00:00Z')");
					created++;
				}
			}
			return created;
		});
	}

	/**
	 * What retention took from the events.
	 *
	 * @param events events dropped, with their day's partitions or from the default one
	 * @param ids their ids, dropped with them
	 */
	public record Dropped(int events, int ids) {
	}

	/** Pages of a partition whose events' ids go in one statement (about 10,000 ids). */
	private static final int ID_PAGES = 1_000;

	/** Rows of the default partition that go in one statement. */
	private static final int BATCH = 10_000;

	/**
	 * Drops the day partitions that end at or before {@code cutoff} and the default
	 * partition's rows received before it, each event's id with it. An id is found
	 * through its event (a partition a thousand pages at a time, by their row positions),
	 * since {@code error_event_ids} has no index on time: one less index written per
	 * event stored.
	 */
	public Dropped dropBefore(Instant cutoff) {
		LocalDate last = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
		int events = 0;
		int ids = 0;
		for (String name : partitions()) {
			LocalDate day = LocalDate.parse(name.substring("error_events_p".length()),
					DateTimeFormatter.BASIC_ISO_DATE);
			if (!day.plusDays(1).isAfter(last)) {
				Integer rows = this.jdbc.queryForObject("SELECT count(*) FROM " + name, Integer.class);
				long pages = this.jdbc.queryForObject(
						"SELECT pg_relation_size(?::regclass) / current_setting('block_size')::bigint", Long.class,
						name);
				for (long from = 0; from < pages; from += ID_PAGES) {
					// through the primary key, whatever the planner thinks of the sizes
					ids += this.jdbc.update(
							"DELETE FROM error_event_ids WHERE event_id = ANY (ARRAY(SELECT event_id FROM " + name
									+ " WHERE ctid >= ?::tid AND ctid < ?::tid))",
							"(" + from + ",0)", "(" + (from + ID_PAGES) + ",0)");
				}
				this.jdbc.execute("DROP TABLE " + name);
				events += (rows != null) ? rows : 0;
			}
		}
		Timestamp before = Timestamp.from(cutoff);
		int[] batch;
		do {
			batch = this.jdbc.queryForObject("""
					WITH gone AS (
					    DELETE FROM error_events_default WHERE ctid IN
					        (SELECT ctid FROM error_events_default WHERE received_at < ? LIMIT ?)
					    RETURNING event_id
					), ids AS (
					    DELETE FROM error_event_ids WHERE event_id = ANY (ARRAY(SELECT event_id FROM gone))
					    RETURNING 1
					)
					SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM ids)
					""", (rs, n) -> new int[] { rs.getInt(1), rs.getInt(2) }, before, BATCH);
			events += batch[0];
			ids += batch[1];
		}
		while (batch[0] == BATCH);
		return new Dropped(events, ids);
	}

	private List<String> partitions() {
		return this.jdbc.queryForList("""
				SELECT c.relname FROM pg_inherits i
				JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
				WHERE p.relname = 'error_events' AND c.relname ~ '^error_events_p[0-9]{8}$'
				ORDER BY c.relname
				""", String.class);
	}

}
