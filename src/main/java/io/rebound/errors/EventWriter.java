package io.rebound.errors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a batch's events and claims their ids, inside the caller's transaction: by
 * binary {@code COPY} when every id is new, through the id claim when one was stored
 * before. Answers the position of each event it stored.
 */
final class EventWriter {

	/**
	 * The usual case, a batch of ids never seen: the ids are claimed (the idempotency
	 * key, in a table of its own: a partitioned table cannot hold a unique key without
	 * its partition key; an event is found by its id through there) and the events
	 * stored, each with a position taken beforehand, by binary {@code COPY}. One id
	 * claimed before fails the ids' copy with a unique violation, and the batch goes
	 * through {@link #CLAIM_THEN_INSERT} instead.
	 */
	private static final String IDS_TABLE = "error_event_ids (event_id, received_at, seq)";

	private static final String EVENTS_TABLE = """
			error_events (event_id, seq, error_id, source, type, severity, category, message, occurred_at, \
			received_at, context, topic, kafka_partition, kafka_offset)""";

	/** A position for each event of a batch, in batch order. */
	private static final String POSITIONS = "SELECT nextval('error_events_position') FROM generate_series(1, ?)";

	/**
	 * A batch holding an id claimed before: claims the ids that are new, with the
	 * position each new event gets, then stores only their events, in batch order.
	 */
	private static final String CLAIM_THEN_INSERT = """
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
			       timestamptz 'epoch' + u.received_at * interval '1 microsecond', u.context::json, u.topic,
			       u.kafka_partition, u.kafka_offset
			FROM u JOIN fresh ON fresh.event_id = u.event_id::uuid
			ORDER BY u.ord
			RETURNING event_id, seq
			""";

	/**
	 * After a batch met an id claimed before, this many more go straight to
	 * {@link #CLAIM_THEN_INSERT}: duplicates come in runs (an agent's replay), and each
	 * failed copy is wasted work.
	 */
	private static final int CLAIMING_AFTER_CONFLICT = 16;

	private final AtomicInteger claimingFor = new AtomicInteger();

	/**
	 * Copy buffers kept between batches, a pair (ids, events) per batch being written: a
	 * batch's events take megabytes, which would be garbage at once. At most this many
	 * pairs are kept, each buffer at most {@link #MAX_KEPT_BYTES}.
	 */
	private final ArrayBlockingQueue<BinaryCopy[]> kept = new ArrayBlockingQueue<>(4);

	private static final int MAX_KEPT_BYTES = 16 << 20;

	private final AtomicLong conflicts = new AtomicLong();

	private static final String UNIQUE_VIOLATION = "23505";

	Map<UUID, Long> write(Connection connection, List<ReceivedEvent> candidates) throws SQLException {
		if (candidates.isEmpty()) {
			return Map.of();
		}
		if (this.claimingFor.get() > 0) {
			this.claimingFor.decrementAndGet();
		}
		else {
			long[] positions = positions(connection, candidates.size());
			Savepoint before = connection.setSavepoint();
			try {
				copy(connection, candidates, positions);
				connection.releaseSavepoint(before);
				Map<UUID, Long> inserted = new HashMap<>(candidates.size() * 2);
				for (int i = 0; i < positions.length; i++) {
					inserted.put(candidates.get(i).event().eventId(), positions[i]);
				}
				return inserted;
			}
			catch (SQLException ex) {
				if (!UNIQUE_VIOLATION.equals(ex.getSQLState())) {
					throw ex;
				}
				connection.rollback(before);
				this.conflicts.incrementAndGet();
				this.claimingFor.set(CLAIMING_AFTER_CONFLICT);
			}
		}
		return claimThenInsert(connection, candidates);
	}

	private static long[] positions(Connection connection, int n) throws SQLException {
		long[] positions = new long[n];
		try (PreparedStatement statement = connection.prepareStatement(POSITIONS)) {
			statement.setInt(1, n);
			try (ResultSet rows = statement.executeQuery()) {
				for (int i = 0; i < n && rows.next(); i++) {
					positions[i] = rows.getLong(1);
				}
			}
		}
		return positions;
	}

	private void copy(Connection connection, List<ReceivedEvent> candidates, long[] positions) throws SQLException {
		BinaryCopy[] buffers = this.kept.poll();
		if (buffers == null) {
			buffers = new BinaryCopy[] { new BinaryCopy(0), new BinaryCopy(0) };
		}
		try {
			copy(connection, candidates, positions, buffers[0].reset(candidates.size() * 48),
					buffers[1].reset(candidates.size() * 1024));
		}
		finally {
			if (buffers[1].capacity() <= MAX_KEPT_BYTES) {
				this.kept.offer(buffers);
			}
		}
	}

	private static void copy(Connection connection, List<ReceivedEvent> candidates, long[] positions, BinaryCopy ids,
			BinaryCopy events) throws SQLException {
		for (int i = 0; i < positions.length; i++) {
			ReceivedEvent received = candidates.get(i);
			ErrorEvent event = received.event();
			ids.row(3).uuid(event.eventId()).timestamp(received.receivedAt()).int8(positions[i]);
			events.row(14)
				.uuid(event.eventId())
				.int8(positions[i])
				.uuid(event.errorId())
				.text(event.source())
				.text(event.type())
				.text(event.severity().wire())
				.text(event.category().wire())
				.text(event.message())
				.timestamp(event.occurredAt())
				.timestamp(received.receivedAt())
				.json(event.contextJson())
				.text(received.topic())
				.int4(received.partition())
				.int8(received.offset());
		}
		ids.copyInto(connection, IDS_TABLE);
		events.copyInto(connection, EVENTS_TABLE);
	}

	private static Map<UUID, Long> claimThenInsert(Connection connection, List<ReceivedEvent> candidates)
			throws SQLException {
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
			occurredAt[i] = ErrorRecorder.micros(event.occurredAt());
			text[7][i] = event.contextJson();
			text[8][i] = received.topic();
			partitions[i] = received.partition();
			offsets[i] = received.offset();
			receivedAt[i] = ErrorRecorder.micros(received.receivedAt());
		}
		// numbers as numbers: cheaper to write and to read than their text
		Object[] columns = { text[0], text[1], text[2], text[3], text[4], text[5], text[6], occurredAt, text[7],
				text[8], partitions, offsets, receivedAt };
		return insert(connection, CLAIM_THEN_INSERT, columns, n);
	}

	private static Map<UUID, Long> insert(Connection connection, String sql, Object[] columns, int n)
			throws SQLException {
		Map<UUID, Long> inserted = new HashMap<>(n * 2);
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
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

	/**
	 * Batches whose plain insert met an id claimed before, and went through the claim
	 * instead.
	 */
	long conflicts() {
		return this.conflicts.get();
	}

}
