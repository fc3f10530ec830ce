package io.rebound.errors;

import java.util.ArrayList;
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
 * their errors, in one transaction, with the same few statements whatever the batch size.
 * An event whose {@code event_id} is already stored changes nothing, so replaying a batch
 * after a crash is harmless. What was stored is published as a {@link BatchRecorded}
 * after the commit.
 */
@Component
public class ErrorRecorder {

	private final JdbcTemplate jdbc;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transaction;

	private final BatchOffsets offsets;

	private final HourlyCounts hourly;

	private final EventWriter writer = new EventWriter();

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
			.execute((ConnectionCallback<Map<UUID, Long>>) (connection) -> this.writer.write(connection, candidates));
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

	/**
	 * Batches whose copy met an id stored before, and went through the claim instead.
	 */
	long conflicts() {
		return this.writer.conflicts();
	}

	/** Microseconds since 1970, rounded as PostgreSQL rounds a timestamp's text. */
	static long micros(java.time.Instant instant) {
		return instant.getEpochSecond() * 1_000_000 + (instant.getNano() + 500) / 1000;
	}

}
