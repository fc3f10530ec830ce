package io.rebound.errors;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.rebound.TestDatabaseInitializer;
import io.rebound.errors.ErrorViews.ErrorSummary;
import io.rebound.errors.ErrorViews.EventView;
import io.rebound.web.Cursor;
import io.rebound.web.Page;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The errors' store and its cursors on the real PostgreSQL, migrated by Flyway, with
 * nothing else of Rebound started: events written by the real write path, read back page
 * by page. Each test rolls back.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@Import({ ErrorRecorder.class, HourlyCounts.class, ErrorQueries.class })
class ErrorQueriesDataTests {

	private static final AtomicLong OFFSETS = new AtomicLong();

	private static final String AGENT = "data-agent";

	@Autowired
	ErrorRecorder recorder;

	@Autowired
	ErrorQueries queries;

	@Test
	void cursorPagesNeitherSkipNorRepeatWhileNewEventsArrive() {
		List<UUID> original = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			original.add(record("kind" + i, Severity.LOW, "failure kind " + i, Instant.now()).errorId());
		}
		List<UUID> order = new ArrayList<>();
		Page<ErrorSummary> page = list(null);
		int pages = 0;
		while (true) {
			page.items().forEach((item) -> order.add(item.id()));
			pages++;
			if (pages == 1) {
				// activity on rows already shown, rows still to come, and brand-new
				// errors
				record("kind29", Severity.HIGH, "failure kind 29", Instant.now());
				record("kind3", Severity.HIGH, "failure kind 3", Instant.now());
				record("kind10", Severity.HIGH, "failure kind 10", Instant.now());
				record("brand-new", Severity.HIGH, "never seen before", Instant.now());
			}
			if (page.nextCursor() == null) {
				break;
			}
			page = list(Cursor.decode(ErrorQueries.ERRORS, page.nextCursor(), 2));
		}
		Set<UUID> seen = new HashSet<>(order);

		assertThat(order).hasSameSizeAs(seen);
		assertThat(seen).containsExactlyInAnyOrderElementsOf(original);
		assertThat(pages).isEqualTo(5);
	}

	@Test
	void theFirstPageShowsTheNewestActivityFirst() {
		UUID older = record("a", Severity.LOW, "first", Instant.now()).errorId();
		UUID newer = record("b", Severity.LOW, "second", Instant.now()).errorId();
		record("a", Severity.LOW, "first", Instant.now());

		assertThat(list(null).items()).extracting(ErrorSummary::id).containsExactly(older, newer);
	}

	@Test
	void anErrorsEventsArePagedNewestFirst() {
		UUID id = null;
		List<UUID> eventIds = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ErrorEvent event = record("t", Severity.MEDIUM, "retry " + i + " failed", Instant.now());
			id = event.errorId();
			eventIds.add(0, event.eventId());
		}
		Page<EventView> first = this.queries.events(id, null, 3);
		Page<EventView> second = this.queries.events(id, Cursor.decode(ErrorQueries.EVENTS, first.nextCursor(), 1), 3);

		List<UUID> paged = new ArrayList<>();
		first.items().forEach((event) -> paged.add(event.eventId()));
		second.items().forEach((event) -> paged.add(event.eventId()));
		assertThat(paged).containsExactlyElementsOf(eventIds);
		assertThat(second.nextCursor()).isNull();
	}

	@Test
	void theSeverityIsTheHighestSeenAndTheMessageTheLatest() {
		Instant now = Instant.now();
		record("t", Severity.LOW, "attempt 1 failed", now.minusSeconds(10));
		ErrorEvent worst = record("t", Severity.CRITICAL, "attempt 2 failed", now.minusSeconds(5));
		record("t", Severity.MEDIUM, "attempt 3 failed", now);

		ErrorViews.ErrorDetails error = this.queries.get(worst.errorId()).orElseThrow();
		assertThat(error.severity()).isEqualTo(Severity.CRITICAL);
		assertThat(error.message()).isEqualTo("attempt 3 failed");
		assertThat(error.count()).isEqualTo(3);
		assertThat(error.latestEvent().message()).isEqualTo("attempt 3 failed");
	}

	private Page<ErrorSummary> list(Cursor cursor) {
		return this.queries.list(new ErrorFilter(AGENT, null, null, null, null, null, null, null), cursor, 7);
	}

	private ErrorEvent record(String type, Severity severity, String message, Instant at) {
		ErrorEvent event = new ErrorEvent(UUID.randomUUID(), AGENT, type, severity,
				CategoryInference.infer(type, message), message, at, "{}", Fingerprinter.of(AGENT, type, message));
		this.recorder.record(List.of(new ReceivedEvent(event, "data.recorder." + severity.wire(), 0,
				OFFSETS.incrementAndGet(), Instant.now())));
		return event;
	}

}
