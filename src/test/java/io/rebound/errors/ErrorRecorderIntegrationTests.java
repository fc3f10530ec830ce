package io.rebound.errors;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.rebound.TestDatabaseInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write path's two ways of storing a batch on the real PostgreSQL: binary
 * {@code COPY} when every id is new, and the id claim when one was stored before.
 * Whichever runs, each event is stored as it was given and counted once. Each test rolls
 * back.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@Import({ ErrorRecorder.class, HourlyCounts.class })
class ErrorRecorderIntegrationTests {

	private static final String AGENT = "recorder-agent";

	private final AtomicLong offsets = new AtomicLong();

	@Autowired
	ErrorRecorder recorder;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void aBatchHoldingAnIdStoredBeforeStoresTheRestOnceAndCountsTheRepeatOnce() {
		List<ErrorEvent> first = events(3);
		long conflicts = this.recorder.conflicts();

		BatchRecorded fresh = this.recorder.record(received(first));
		assertThat(fresh.stored()).hasSize(3);
		assertThat(fresh.duplicates()).isZero();
		assertThat(this.recorder.conflicts()).as("all new: the plain insert took them").isEqualTo(conflicts);

		List<ErrorEvent> mixed = new ArrayList<>(events(2));
		mixed.add(1, first.get(1));
		BatchRecorded again = this.recorder.record(received(mixed));
		assertThat(again.stored()).extracting((r) -> r.event().eventId())
			.containsExactly(mixed.get(0).eventId(), mixed.get(2).eventId());
		assertThat(again.duplicates()).isEqualTo(1);
		assertThat(this.recorder.conflicts()).as("one id stored before: the claim took the batch")
			.isEqualTo(conflicts + 1);

		List<ErrorEvent> later = events(2);
		later.add(first.get(0));
		BatchRecorded next = this.recorder.record(received(later));
		assertThat(next.stored()).hasSize(2);
		assertThat(next.duplicates()).isEqualTo(1);

		assertThat(
				this.jdbc.queryForObject("SELECT count FROM errors WHERE id = ?", Long.class, first.get(0).errorId()))
			.isEqualTo(7);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM error_events WHERE source = ?", Long.class, AGENT))
			.isEqualTo(7);
		assertThat(this.jdbc.queryForObject("""
				SELECT count(*) FROM error_event_ids i JOIN error_events e
				  ON e.event_id = i.event_id AND e.seq = i.seq AND e.received_at = i.received_at
				WHERE e.source = ?
				""", Long.class, AGENT)).as("every event found by its id at its position").isEqualTo(7);
	}

	@Test
	void eachFieldArrivesAsItWasGiven() {
		Instant occurred = Instant.parse("2026-11-22T14:03:07.123456789Z");
		Instant received = Instant.parse("2026-12-04T03:25:00.000000500Z");
		String message = "Überlauf im Puffer – 🚒 \"quoted\" \\ tab\there";
		// kept as sent: the spaces, the keys' order and a repeated key
		String context = "{\"host\": \"nöde-7\", \"n\":[1,2.5,null],\"deep\":{\"ok\":true},\"host\":\"x\"}";
		ErrorEvent event = new ErrorEvent(UUID.randomUUID(), AGENT, "buffer_overflow", Severity.CRITICAL,
				Category.RESOURCE, message, occurred, context, Fingerprinter.of(AGENT, "buffer_overflow", message));
		BatchRecorded recorded = this.recorder
			.record(List.of(new ReceivedEvent(event, "recorder.critical", 5, 9_876_543_210L, received)));
		assertThat(recorded.stored()).hasSize(1);

		Map<String, Object> row = this.jdbc.queryForMap("""
				SELECT e.error_id, e.source, e.type, e.severity, e.category, e.message, e.context::text AS context,
				       e.topic, e.kafka_partition, e.kafka_offset,
				       (extract(epoch FROM e.occurred_at) * 1000000)::bigint AS occurred_us,
				       (extract(epoch FROM e.received_at) * 1000000)::bigint AS received_us,
				       i.seq = e.seq AS same_seq, i.received_at = e.received_at AS same_received
				FROM error_events e JOIN error_event_ids i ON i.event_id = e.event_id
				WHERE e.event_id = ?
				""", event.eventId());
		assertThat(row).containsEntry("error_id", event.errorId())
			.containsEntry("source", AGENT)
			.containsEntry("type", "buffer_overflow")
			.containsEntry("severity", "critical")
			.containsEntry("category", "resource")
			.containsEntry("message", message)
			.containsEntry("topic", "recorder.critical")
			.containsEntry("kafka_partition", 5)
			.containsEntry("kafka_offset", 9_876_543_210L)
			.containsEntry("occurred_us", 1_795_356_187_123_457L)
			.containsEntry("received_us", 1_796_354_700_000_001L)
			.containsEntry("same_seq", true)
			.containsEntry("same_received", true);
		assertThat(row).containsEntry("context", context);
		Map<String, Object> error = this.jdbc.queryForMap("""
				SELECT e.count, e.severity, e.message, e.last_event_id, e.activity_seq = i.seq AS activity_at_event,
				       (extract(epoch FROM e.first_seen) * 1000000)::bigint AS first_us,
				       (extract(epoch FROM e.last_seen) * 1000000)::bigint AS last_us,
				       (extract(epoch FROM e.last_received) * 1000000)::bigint AS received_us
				FROM errors e JOIN error_event_ids i ON i.event_id = e.last_event_id
				WHERE e.id = ?
				""", event.errorId());
		assertThat(error).containsEntry("count", 1L)
			.containsEntry("severity", "critical")
			.containsEntry("message", message)
			.containsEntry("last_event_id", event.eventId())
			.containsEntry("activity_at_event", true)
			.containsEntry("first_us", 1_795_356_187_123_457L)
			.containsEntry("last_us", 1_795_356_187_123_457L)
			.containsEntry("received_us", 1_796_354_700_000_001L);
	}

	private static List<ErrorEvent> events(int n) {
		List<ErrorEvent> events = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			String message = "lease renewal failed on shard " + i;
			events.add(new ErrorEvent(UUID.randomUUID(), AGENT, "lease_lost", Severity.HIGH,
					CategoryInference.infer("lease_lost", message), message, Instant.now(), "{}",
					Fingerprinter.of(AGENT, "lease_lost", message)));
		}
		return events;
	}

	private List<ReceivedEvent> received(List<ErrorEvent> events) {
		return events.stream()
			.map((event) -> new ReceivedEvent(event, "recorder.high", 0, this.offsets.incrementAndGet(), Instant.now()))
			.toList();
	}

}
