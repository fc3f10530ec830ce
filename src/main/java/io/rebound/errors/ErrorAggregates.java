package io.rebound.errors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/**
 * The newly stored events of one batch folded per error, then written with one upsert. A
 * {@code resolved} error that gets an event newer than its resolution becomes
 * {@code regressed}. Rows are written in id order so that concurrent batches lock errors
 * in the same order and cannot deadlock.
 */
final class ErrorAggregates {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String UPSERT = """
			INSERT INTO errors AS e (id, fingerprint, fingerprint_inputs, source, type, category, severity, status,
			                         count, first_seen, last_seen, message, last_event_id, activity_seq,
			                         rule_id, cause, confidence, error_class, recovery, group_key, suppressed,
			                         last_received)
			SELECT u.id::uuid, u.fingerprint, u.inputs::jsonb, u.source, u.type, u.category, u.severity, 'open',
			       u.count, timestamptz 'epoch' + u.first_seen * interval '1 microsecond',
			       timestamptz 'epoch' + u.last_seen * interval '1 microsecond', u.message,
			       u.last_event_id::uuid, u.activity_seq,
			       u.rule_id, u.cause, u.confidence::real, u.error_class, u.recovery, u.group_key,
			       u.suppressed, timestamptz 'epoch' + u.last_received * interval '1 microsecond'
			FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[],
			            ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::bigint[],
			            ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
			     AS u(id, fingerprint, inputs, source, type, category, severity, count, first_seen, last_seen,
			          message, last_event_id, activity_seq, rule_id, cause, confidence, error_class, recovery,
			          group_key, suppressed, last_received)
			ORDER BY u.id
			ON CONFLICT (id) DO UPDATE SET
			    count = e.count + EXCLUDED.count,
			    suppressed = e.suppressed + EXCLUDED.suppressed,
			    first_seen = LEAST(e.first_seen, EXCLUDED.first_seen),
			    last_seen = GREATEST(e.last_seen, EXCLUDED.last_seen),
			    last_received = GREATEST(e.last_received, EXCLUDED.last_received),
			    severity = CASE WHEN severity_rank(EXCLUDED.severity) > severity_rank(e.severity)
			                    THEN EXCLUDED.severity ELSE e.severity END,
			    message = CASE WHEN EXCLUDED.last_seen >= e.last_seen THEN EXCLUDED.message ELSE e.message END,
			    last_event_id = CASE WHEN EXCLUDED.last_seen >= e.last_seen
			                         THEN EXCLUDED.last_event_id ELSE e.last_event_id END,
			    activity_seq = GREATEST(e.activity_seq, EXCLUDED.activity_seq),
			    rule_id = CASE WHEN EXCLUDED.last_seen >= e.last_seen THEN EXCLUDED.rule_id ELSE e.rule_id END,
			    cause = CASE WHEN EXCLUDED.last_seen >= e.last_seen THEN EXCLUDED.cause ELSE e.cause END,
			    confidence = CASE WHEN EXCLUDED.last_seen >= e.last_seen THEN EXCLUDED.confidence ELSE e.confidence END,
			    error_class = CASE WHEN EXCLUDED.last_seen >= e.last_seen
			                       THEN EXCLUDED.error_class ELSE e.error_class END,
			    recovery = CASE WHEN EXCLUDED.last_seen >= e.last_seen THEN EXCLUDED.recovery ELSE e.recovery END,
			    group_key = CASE WHEN EXCLUDED.last_seen >= e.last_seen THEN EXCLUDED.group_key ELSE e.group_key END,
			    status = CASE WHEN e.status = 'resolved' AND EXCLUDED.last_received > e.resolved_at
			                  THEN 'regressed' ELSE e.status END,
			    regressed_at = CASE WHEN e.status = 'resolved' AND EXCLUDED.last_received > e.resolved_at
			                        THEN now() ELSE e.regressed_at END,
			    updated_at = now()
			RETURNING (xmax = 0) AS created, (status = 'regressed' AND regressed_at = now()) AS regressed
			""";

	/** The upsert's parameters that are numbers: counts, positions and times. */
	private static final int[] NUMBER_COLUMNS = { 7, 8, 9, 12, 19, 20 };

	private static final class Aggregate {

		final ErrorEvent first;

		ErrorEvent latest;

		long count;

		Instant firstSeen;

		Severity severity;

		long activitySeq;

		long suppressed;

		Instant lastReceived;

		Aggregate(ErrorEvent event, Instant receivedAt, long seq) {
			this.first = event;
			this.latest = event;
			this.firstSeen = event.occurredAt();
			this.severity = event.severity();
			this.activitySeq = seq;
			this.lastReceived = receivedAt;
		}

		void add(ErrorEvent event, Instant receivedAt, long seq) {
			this.count++;
			if (receivedAt.isAfter(this.lastReceived)) {
				this.lastReceived = receivedAt;
			}
			if (event.occurredAt().isBefore(this.firstSeen)) {
				this.firstSeen = event.occurredAt();
			}
			if (!event.occurredAt().isBefore(this.latest.occurredAt())) {
				this.latest = event;
			}
			this.severity = this.severity.max(event.severity());
			this.activitySeq = Math.max(this.activitySeq, seq);
		}

	}

	private final Map<UUID, Aggregate> byError = new TreeMap<>();

	/**
	 * An error's hour of receipt, on Rebound's clock.
	 *
	 * @param errorId the error
	 * @param epochHour hours since 1970-01-01T00:00Z
	 */
	record Hour(UUID errorId, long epochHour) {
	}

	/** Events per error and hour of receipt (the upsert sorts them into lock order). */
	private final Map<Hour, long[]> hourly = new HashMap<>();

	void add(ErrorEvent event, Instant receivedAt, long seq) {
		this.byError.computeIfAbsent(event.errorId(), (id) -> new Aggregate(event, receivedAt, seq))
			.add(event, receivedAt, seq);
		countHour(event, receivedAt);
	}

	private void countHour(ErrorEvent event, Instant receivedAt) {
		Hour key = new Hour(event.errorId(), Math.floorDiv(receivedAt.getEpochSecond(), 3600));
		this.hourly.computeIfAbsent(key, (k) -> new long[1])[0]++;
	}

	/** Counts an event that is not stored on its own; {@code seq} marks the activity. */
	void fold(ErrorEvent event, Instant receivedAt, long seq) {
		Aggregate aggregate = this.byError.computeIfAbsent(event.errorId(),
				(id) -> new Aggregate(event, receivedAt, seq));
		aggregate.add(event, receivedAt, seq);
		aggregate.suppressed++;
		countHour(event, receivedAt);
	}

	boolean isEmpty() {
		return this.byError.isEmpty();
	}

	/**
	 * What the upsert changed in the errors' lifecycle.
	 *
	 * @param created errors seen for the first time
	 * @param regressed resolved errors that regressed
	 */
	record Changes(int created, int regressed) {
	}

	Changes upsert(Connection connection) throws SQLException {
		int n = this.byError.size();
		// numbers and times as numbers (times in microseconds): cheaper to write and to
		// read than their text
		String[][] columns = new String[21][];
		long[][] numbers = new long[21][];
		for (int c : NUMBER_COLUMNS) {
			numbers[c] = new long[n];
		}
		for (int c = 0; c < columns.length; c++) {
			if (numbers[c] == null) {
				columns[c] = new String[n];
			}
		}
		int i = 0;
		for (Map.Entry<UUID, Aggregate> entry : this.byError.entrySet()) {
			Aggregate a = entry.getValue();
			Fingerprint fingerprint = a.first.fingerprint();
			columns[0][i] = entry.getKey().toString();
			columns[1][i] = fingerprint.value();
			columns[2][i] = JSON.writeValueAsString(fingerprint.inputs());
			columns[3][i] = a.first.source();
			columns[4][i] = a.first.type();
			columns[5][i] = a.first.category().wire();
			columns[6][i] = a.severity.wire();
			numbers[7][i] = a.count;
			numbers[8][i] = ErrorRecorder.micros(a.firstSeen);
			numbers[9][i] = ErrorRecorder.micros(a.latest.occurredAt());
			columns[10][i] = a.latest.message();
			columns[11][i] = a.latest.eventId().toString();
			numbers[12][i] = a.activitySeq;
			numbers[19][i] = a.suppressed;
			numbers[20][i] = ErrorRecorder.micros(a.lastReceived);
			Classification c = a.latest.classification();
			if (c.matched()) {
				columns[13][i] = c.ruleId();
				columns[14][i] = c.cause();
				columns[15][i] = Double.toString(c.confidence());
				columns[16][i] = c.errorClass();
				columns[17][i] = c.recovery();
				columns[18][i] = c.groupKey();
			}
			i++;
		}
		try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
			for (int c = 0; c < columns.length; c++) {
				statement.setObject(c + 1, (numbers[c] != null) ? numbers[c] : columns[c]);
			}
			int created = 0;
			int regressed = 0;
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					created += rows.getBoolean(1) ? 1 : 0;
					regressed += rows.getBoolean(2) ? 1 : 0;
				}
			}
			return new Changes(created, regressed);
		}
	}

	/** Events per error and hour of receipt. */
	Map<Hour, long[]> hourly() {
		return this.hourly;
	}

}
