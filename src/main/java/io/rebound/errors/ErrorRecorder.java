package io.rebound.errors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hot write path: stores a batch of events idempotently and folds the new ones into
 * their errors, in one transaction, with two statements whatever the batch size. An event
 * whose {@code event_id} is already stored changes nothing, so replaying a batch after a
 * crash is harmless. What was stored is published as a {@link BatchRecorded} after the
 * commit.
 */
@Component
public class ErrorRecorder {

	/**
	 * Claims the events' ids first (the idempotency key, in a table of its own: a
	 * partitioned table cannot hold a unique key without its partition key), with the
	 * position each new event gets (an event is found by its id through there), then
	 * stores the events whose ids were new, in batch order.
	 */
	private static final String INSERT_EVENTS = """
			WITH u AS (
			    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
			                         ?::bigint[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::bigint[])
			         WITH ORDINALITY AS u(event_id, error_id, source, type, severity, category, message, occurred_at,
			                              context, topic, kafka_partition, kafka_offset, received_at, ord)
			), fresh AS (
			    INSERT INTO error_event_ids (event_id, received_at, seq)
			    SELECT u.event_id::uuid, timestamptz 'epoch' + u.received_at * interval '1 microsecond',
			           nextval('error_events_position')
			    FROM u ORDER BY u.ord
			    ON CONFLICT (event_id) DO NOTHING
			    RETURNING event_id, seq
			)
			INSERT INTO error_events (event_id, seq, error_id, source, type, severity, category, message,
			                          occurred_at, received_at, context, topic, kafka_partition, kafka_offset)
			SELECT u.event_id::uuid, fresh.seq, u.error_id::uuid, u.source, u.type, u.severity, u.category, u.message,
			       timestamptz 'epoch' + u.occurred_at * interval '1 microsecond',
			       timestamptz 'epoch' + u.received_at * interval '1 microsecond', u.context::jsonb, u.topic,
			       u.kafka_partition, u.kafka_offset
			FROM u JOIN fresh ON fresh.event_id = u.event_id::uuid
			ORDER BY u.ord
			RETURNING event_id, seq
			""";

	private final JdbcTemplate jdbc;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final BatchOffsets offsets;

	private final HourlyCounts hourly;

	ErrorRecorder(JdbcTemplate jdbc, ApplicationEventPublisher events, PlatformTransactionManager transactions,
			HourlyCounts hourly) {
		this.jdbc = jdbc;
		this.hourly = hourly;
		this.offsets = new BatchOffsets(jdbc);
		this.events = events;
		this.transaction = new TransactionTemplate(transactions);
	}

	/**
	 * Stores the events not stored before and updates their errors.
	 * @param batch events in the order they were read
	 * @return what was stored and how many were duplicates
	 */
	public BatchRecorded record(List<ReceivedEvent> batch) {
		if (batch.isEmpty()) {
			return new BatchRecorded(List.of(), 0, 0, 0, 0);
		}
		ErrorAggregates aggregates = new ErrorAggregates();
		BatchRecorded result = this.transaction.execute((status) -> store(batch, aggregates));
		// counted once committed, written apart from the batch's transaction
		// (HourlyCounts)
		this.hourly.add(aggregates.hourly());
		this.events.publishEvent(result);
		return result;
	}

	private BatchRecorded store(List<ReceivedEvent> batch, ErrorAggregates aggregates) {
		Map<UUID, ReceivedEvent> unique = new LinkedHashMap<>();
		List<ReceivedEvent> suppressed = new ArrayList<>();
		for (ReceivedEvent received : this.offsets.unseen(batch)) {
			if (received.suppressed() != null) {
				suppressed.add(received);
			}
			else {
				unique.putIfAbsent(received.event().eventId(), received);
			}
		}
		List<ReceivedEvent> candidates = new ArrayList<>(unique.values());
		Map<UUID, Long> inserted = this.jdbc
			.execute((ConnectionCallback<Map<UUID, Long>>) (connection) -> insertEvents(connection, candidates));
		List<ReceivedEvent> stored = new ArrayList<>(inserted.size());
		for (ReceivedEvent received : candidates) {
			Long seq = inserted.get(received.event().eventId());
			if (seq != null) {
				stored.add(received);
				aggregates.add(received.event(), received.receivedAt(), seq);
			}
		}
		if (!suppressed.isEmpty()) {
			long seq = this.jdbc.queryForObject("SELECT nextval('error_events_position')", Long.class);
			suppressed.forEach((received) -> aggregates.fold(received.event(), received.receivedAt(), seq));
			this.offsets.countSuppressed(suppressed);
		}
		ErrorAggregates.Changes changes = aggregates.isEmpty() ? new ErrorAggregates.Changes(0, 0)
				: this.jdbc.execute((ConnectionCallback<ErrorAggregates.Changes>) aggregates::upsert);
		this.offsets.advance(batch);
		return new BatchRecorded(stored, batch.size() - stored.size() - suppressed.size(), changes.created(),
				changes.regressed(), suppressed.size());
	}

	private Map<UUID, Long> insertEvents(Connection connection, List<ReceivedEvent> candidates) throws SQLException {
		int n = candidates.size();
		String[][] text = new String[9][n];
		long[] occurredAt = new long[n];
		long[] receivedAt = new long[n];
		int[] partitions = new int[n];
		long[] offsets = new long[n];
		for (int i = 0; i < n; i++) {
			ReceivedEvent received = candidates.get(i);
			ErrorEvent event = received.event();
			text[0][i] = event.eventId().toString();
			text[1][i] = event.errorId().toString();
			text[2][i] = event.source();
			text[3][i] = event.type();
			text[4][i] = event.severity().wire();
			text[5][i] = event.category().wire();
			text[6][i] = event.message();
			occurredAt[i] = micros(event.occurredAt());
			text[7][i] = event.contextJson();
			text[8][i] = received.topic();
			partitions[i] = received.partition();
			offsets[i] = received.offset();
			receivedAt[i] = micros(received.receivedAt());
		}
		Map<UUID, Long> inserted = new HashMap<>(n * 2);
		try (PreparedStatement statement = connection.prepareStatement(INSERT_EVENTS)) {
			// numbers as numbers: cheaper to write and to read than their text
			Object[] columns = { text[0], text[1], text[2], text[3], text[4], text[5], text[6], occurredAt, text[7],
					text[8], partitions, offsets, receivedAt };
			for (int c = 0; c < columns.length; c++) {
				statement.setObject(c + 1, columns[c]);
			}
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					inserted.put(rows.getObject(1, UUID.class), rows.getLong(2));
				}
			}
		}
		return inserted;
	}

	/** Microseconds since 1970, rounded as PostgreSQL rounds a timestamp's text. */
	static long micros(java.time.Instant instant) {
		return instant.getEpochSecond() * 1_000_000 + (instant.getNano() + 500) / 1000;
	}

	static void bindTextArrays(PreparedStatement statement, String[][] columns) throws SQLException {
		for (int c = 0; c < columns.length; c++) {
			// the driver encodes a String[] itself, cheaper than building an array
			// literal
			statement.setObject(c + 1, columns[c]);
		}
	}

}
