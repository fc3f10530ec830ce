package io.rebound.client;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventTests {

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(Event event) {
		return (Map<String, Object>) Json.read(event.toJson());
	}

	@Test
	void carriesTheContractsFieldsWithAUtcTimestamp() {
		Map<String, Object> event = json(new Event("e-1", "svc-1", "timeout", "HIGH", "took 30 s",
				java.time.Instant.parse("2026-12-01T10:00:00Z").toString(), Map.of("job", 7)));
		assertThat(event).containsEntry("event_id", "e-1")
			.containsEntry("source", "svc-1")
			.containsEntry("type", "timeout")
			.containsEntry("severity", "high")
			.containsEntry("message", "took 30 s")
			.containsEntry("context", Map.of("job", 7L));
		assertThat(OffsetDateTime.parse((String) event.get("timestamp")).getOffset().getTotalSeconds()).isZero();
	}

	@Test
	void eventIdsAreVersion7InTheOrderOfTheirReports() {
		long then = java.time.Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
		java.util.UUID first = java.util.UUID.fromString(
				new Event.Captured(then, "svc-1", "timeout", "high", "m", Map.of()).event().eventId());
		java.util.UUID second = EventIds.next(then + 1);
		java.util.Set<java.util.UUID> many = new java.util.HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			many.add(EventIds.next(then));
		}

		assertThat(first.version()).isEqualTo(7);
		assertThat(first.variant()).isEqualTo(2);
		assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(then);
		assertThat(Long.compareUnsigned(first.getMostSignificantBits(), second.getMostSignificantBits())).isNegative();
		assertThat(many).hasSize(10_000);
	}

	@Test
	void anEventIsSentWithItsAgeByTheAgentsClockAtMostADay() {
		long then = java.time.Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
		String json = new Event("e-1", "svc-1", "timeout", "high", "a \"timestamp\":\"2000-01-01T00:00:00Z\" quoted",
				"2026-12-01T10:00:00Z", Map.of("timestamp", "2001-01-01T00:00:00Z"))
			.toJson();
		assertThat(Json.read(Event.withAge(json, then + 90_000))).asInstanceOf(
				org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
			.containsEntry("age_ms", 90_000L)
			.containsEntry("event_id", "e-1");
		assertThat(Json.read(Event.withAge(json, then - 5_000))).asInstanceOf(
				org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
			.containsEntry("age_ms", 0L);
		assertThat(Json.read(Event.withAge(json, then + 3 * 86_400_000L))).asInstanceOf(
				org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
			.containsEntry("age_ms", 86_400_000L);
		assertThat(Event.withAge("{\"source\":\"s\"}", then)).isEqualTo("{\"source\":\"s\"}");
	}

	@Test
	void trimsAMessageTo8KibWithAMarkerWithoutCuttingACharacter() {
		Map<String, Object> event = json(new Event("e", "s", "t", "low", "é".repeat(10_000), "x", null));
		String message = (String) event.get("message");
		assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(8192);
		assertThat(message).endsWith(Event.TRIM_MARKER).doesNotContain("\uFFFD");
	}

	@SuppressWarnings("unchecked")
	@Test
	void trimsAHugeContextTo64KibKeepingItsKeys() {
		Map<String, Object> event = json(
				new Event("e", "s", "t", "low", "m", "x", Map.of("traceback", "x".repeat(200_000), "job", 4)));
		Map<String, Object> context = (Map<String, Object>) event.get("context");
		assertThat(Json.write(context).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65536);
		assertThat(context).containsEntry("job", 4L).containsKey("rebound_trimmed");
	}

	@SuppressWarnings("unchecked")
	@Test
	void mendsWhatTheContractWouldRefuse() {
		Map<String, Object> event = json(new Event("e", "s", "t".repeat(100), "fatal", "", "x", null));
		assertThat((String) event.get("type")).hasSize(64);
		assertThat(event).containsEntry("message", "(no message)").containsEntry("severity", "medium");
		assertThat((Map<String, Object>) event.get("context")).containsEntry("severity_given", "fatal");
	}

}
