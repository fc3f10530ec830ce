package io.rebound.ingest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.rebound.errors.Category;
import io.rebound.errors.ErrorEvent;
import io.rebound.errors.Severity;
import io.rebound.ingest.EventContract.Invalid;
import io.rebound.ingest.EventContract.Reading;
import io.rebound.ingest.EventContract.Valid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class EventContractTests {

	private static final UUID DEFAULT_ID = UUID.fromString("00000000-0000-4000-8000-000000000001");

	private static final Instant RECEIVED = Instant.parse("2026-11-22T10:00:00Z");

	private final EventContract contract = new EventContract(JsonMapper.builder().build());

	@Test
	void readsThePayloadPythonReportErrorSends() {
		ErrorEvent event = valid("""
				{"source": "planner-1", "type": "timeout", "severity": "medium",
				 "message": "LLM call timed out", "timestamp": "2026-11-22T14:03:07.123456",
				 "context": {"traceback": "Traceback ...", "attempt": 2}}
				""");

		assertThat(event.source()).isEqualTo("planner-1");
		assertThat(event.severity()).isEqualTo(Severity.MEDIUM);
		assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-22T14:03:07.123456Z"));
		assertThat(event.category()).isEqualTo(Category.NETWORK);
		assertThat(event.eventId()).isEqualTo(DEFAULT_ID);
		// kept as the agent sent it; PostgreSQL's jsonb stores it without the spaces
		assertThat(event.contextJson()).isEqualTo("{\"traceback\": \"Traceback ...\", \"attempt\": 2}");
	}

	@Test
	void honoursOffsetsEventIdAndCategoryWhenGiven() {
		ErrorEvent event = valid("""
				{"event_id": "6f1c1f8e-2f59-4c1b-9a8e-6b0b7d3f9a11", "source": "db-1", "type": "crash",
				 "severity": "critical", "message": "boom", "timestamp": "2026-11-22T14:03:07+02:00",
				 "category": "hardware"}
				""");

		assertThat(event.eventId()).isEqualTo(UUID.fromString("6f1c1f8e-2f59-4c1b-9a8e-6b0b7d3f9a11"));
		assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-22T12:03:07Z"));
		assertThat(event.category()).isEqualTo(Category.HARDWARE);
	}

	@ParameterizedTest
	@CsvSource({ "2026-11-22T14:03:07, 2026-11-22T14:03:07Z", "2026-11-22T14:03:07.5, 2026-11-22T14:03:07.500Z",
			"2026-11-22 14:03:07.123456, 2026-11-22T14:03:07.123456Z", "2026-11-22T14:03, 2026-11-22T14:03:00Z",
			"2026-11-22T14:03:07.123456789Z, 2026-11-22T14:03:07.123456789Z",
			"2026-11-22T14:03:07-05:00, 2026-11-22T19:03:07Z" })
	void readsTimestampsInEveryShapeTheSchemaAllows(String timestamp, String expected) {
		assertThat(valid("{\"source\":\"a\",\"type\":\"t\",\"severity\":\"low\",\"message\":\"m\",\"timestamp\":\""
				+ timestamp + "\"}")
			.occurredAt()).isEqualTo(Instant.parse(expected));
	}

	@Test
	void rejectsTimestampsThatMatchTheShapeButNotTheCalendar() {
		assertThat(invalid(
				"{\"source\":\"a\",\"type\":\"t\",\"severity\":\"low\",\"message\":\"m\",\"timestamp\":\"2026-02-30T25:00:00\"}"))
			.extracting(Violation::field)
			.containsExactly("timestamp");
	}

	@Test
	void defaultsTheTimeToWhenItWasReceived() {
		assertThat(valid("{\"source\":\"a\",\"type\":\"t\",\"severity\":\"low\",\"message\":\"m\"}").occurredAt())
			.isEqualTo(RECEIVED);
	}

	@Test
	void namesEveryFieldThatBreaksTheContract() {
		List<Violation> violations = invalid("""
				{"source": "has spaces", "type": "", "severity": "urgent", "message": 42,
				 "timestamp": "yesterday", "category": "weather", "context": [1], "event_id": "not-a-uuid"}
				""");

		assertThat(violations).extracting(Violation::field)
			.containsExactlyInAnyOrder("source", "type", "severity", "message", "timestamp", "category", "context",
					"event_id");
		assertThat(violations).allSatisfy((v) -> assertThat(v.reason()).isNotBlank());
	}

	@Test
	void reportsMissingRequiredFieldsByName() {
		assertThat(invalid("{}")).extracting(Violation::field)
			.containsExactlyInAnyOrder("source", "type", "severity", "message");
	}

	@Test
	void rejectsAMessageOverEightKibibytesOfUtf8() {
		String message = "é".repeat(4097);
		assertThat(invalid("{\"source\":\"a\",\"type\":\"t\",\"severity\":\"low\",\"message\":\"" + message + "\"}"))
			.extracting(Violation::field)
			.containsExactly("message");
	}

	@Test
	void rejectsAContextOverSixtyFourKibibytes() {
		String big = "x".repeat(66_000);
		assertThat(
				invalid("{\"source\":\"a\",\"type\":\"t\",\"severity\":\"low\",\"message\":\"m\",\"context\":{\"b\":\""
						+ big + "\"}}"))
			.extracting(Violation::field)
			.containsExactly("context");
	}

	@Test
	void marksUnreadableBytesAsUnreadable() {
		Reading reading = this.contract.read("{not json".getBytes(), () -> DEFAULT_ID, RECEIVED);

		assertThat(reading).isInstanceOfSatisfying(Invalid.class,
				(invalid) -> assertThat(invalid.reason()).isEqualTo(DeadLetterReason.UNREADABLE));
	}

	@Test
	void replacesNulCharactersThatPostgresCannotStore() {
		ErrorEvent event = valid(
				"{\"source\":\"a\",\"type\":\"t\\u0000\",\"severity\":\"low\",\"message\":\"m\\u0000\",\"context\":{\"k\":\"v\\u0000\"}}");

		assertThat(event.type()).isEqualTo("t\uFFFD");
		assertThat(event.message()).isEqualTo("m\uFFFD");
		assertThat(event.contextJson()).isEqualTo("{\"k\":\"v\\ufffd\"}");
	}

	private ErrorEvent valid(String json) {
		Reading reading = this.contract.read(json.getBytes(), () -> DEFAULT_ID, RECEIVED);
		assertThat(reading).isInstanceOf(Valid.class);
		return ((Valid) reading).event();
	}

	private List<Violation> invalid(String json) {
		Reading reading = this.contract.read(json.getBytes(), () -> DEFAULT_ID, RECEIVED);
		assertThat(reading).isInstanceOf(Invalid.class);
		return ((Invalid) reading).violations();
	}

}
