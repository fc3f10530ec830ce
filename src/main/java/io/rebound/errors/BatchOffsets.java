package io.rebound.errors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How far each partition was processed, kept in the same transaction as the events: a
 * batch read again after a crash (stored, but offsets not yet committed to Kafka) is
 * recognised record by record and changes nothing, whether its events were stored or only
 * counted. Also keeps the counts of events not stored one by one, by source and reason.
 */
final class BatchOffsets {

	private final JdbcTemplate jdbc;

	BatchOffsets(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The records of the batch past what was processed before. */
	List<ReceivedEvent> unseen(List<ReceivedEvent> batch) {
		Map<String, Long> done = new HashMap<>();
		List<String> topics = new ArrayList<>();
		List<Integer> partitions = new ArrayList<>();
		for (ReceivedEvent received : batch) {
			if (done.putIfAbsent(key(received), Long.MIN_VALUE) == null) {
				topics.add(received.topic());
				partitions.add(received.partition());
			}
		}
		this.jdbc.query("""
				SELECT o.topic, o.kafka_partition, o.last_offset FROM ingest_offsets o
				JOIN unnest(?::text[], ?::int[]) AS u(topic, kafka_partition)
				  ON o.topic = u.topic AND o.kafka_partition = u.kafka_partition
				""", (rs) -> {
			done.put(rs.getString(1) + '/' + rs.getInt(2), rs.getLong(3));
		}, topics.toArray(String[]::new), partitions.toArray(Integer[]::new));
		List<ReceivedEvent> unseen = new ArrayList<>(batch.size());
		for (ReceivedEvent received : batch) {
			if (received.offset() > done.get(key(received))) {
				unseen.add(received);
			}
		}
		return unseen;
	}

	/** Records the batch's highest offset per partition. */
	void advance(List<ReceivedEvent> batch) {
		Map<String, ReceivedEvent> last = new HashMap<>();
		for (ReceivedEvent received : batch) {
			last.merge(key(received), received, (a, b) -> (b.offset() > a.offset()) ? b : a);
		}
		List<ReceivedEvent> rows = new ArrayList<>(last.values());
		rows.sort(java.util.Comparator.comparing(BatchOffsets::key));
		this.jdbc.update("""
				INSERT INTO ingest_offsets (topic, kafka_partition, last_offset)
				SELECT * FROM unnest(?::text[], ?::int[], ?::bigint[])
				ON CONFLICT (topic, kafka_partition)
				DO UPDATE SET last_offset = greatest(ingest_offsets.last_offset, EXCLUDED.last_offset)
				""", rows.stream().map(ReceivedEvent::topic).toArray(String[]::new),
				rows.stream().map(ReceivedEvent::partition).toArray(Integer[]::new),
				rows.stream().map(ReceivedEvent::offset).toArray(Long[]::new));
	}

	void countSuppressed(List<ReceivedEvent> suppressed) {
		Map<String, Long> counts = new java.util.TreeMap<>();
		for (ReceivedEvent received : suppressed) {
			counts.merge(received.event().source() + '\n' + received.suppressed(), 1L, Long::sum);
		}
		this.jdbc.update("""
				INSERT INTO suppressed_events (source, reason, count)
				SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[])
				ON CONFLICT (source, reason)
				DO UPDATE SET count = suppressed_events.count + EXCLUDED.count, last_at = now()
				""", counts.keySet().stream().map((k) -> k.substring(0, k.indexOf('\n'))).toArray(String[]::new),
				counts.keySet().stream().map((k) -> k.substring(k.indexOf('\n') + 1)).toArray(String[]::new),
				counts.values().toArray(Long[]::new));
	}

	private static String key(ReceivedEvent received) {
		return received.topic() + '/' + received.partition();
	}

}
