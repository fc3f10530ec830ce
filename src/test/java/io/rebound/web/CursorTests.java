package io.rebound.web;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CursorTests {

	@Test
	void aPositionComesBackAsItWasWritten() {
		UUID id = UUID.randomUUID();
		Instant at = Instant.parse("2026-12-02T10:15:30.123456Z");
		Cursor cursor = Cursor.decode("attempts", Cursor.encode("attempts", at, id, 42, "a:b"), 4);
		assertThat(cursor.instant(0)).isEqualTo(at);
		assertThat(cursor.uuid(1)).isEqualTo(id);
		assertThat(cursor.number(2)).isEqualTo(42);
		assertThat(cursor.text(3)).isEqualTo("a:b");
	}

	@Test
	void aTokenIsOpaqueAndSafeInAUrl() {
		assertThat(Cursor.encode("agents", "db-1/primary?x=1")).matches("[A-Za-z0-9_-]+");
	}

	@Test
	void anotherListingsTokenIsRefused() {
		String token = Cursor.encode("errors", 10, 5);
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> Cursor.decode("incidents", token, 2))
			.satisfies((ex) -> assertThat(ex.problem().getType().toString()).endsWith("invalid-cursor"));
	}

	@Test
	void garbageAndTheWrongShapeAreRefused() {
		for (String token : new String[] { "", "%%%", "not-base64!", "MTIz", Cursor.encode("errors", 1),
				Cursor.encode("errors", 1, 2, 3) }) {
			assertThatExceptionOfType(ProblemException.class).as(token)
				.isThrownBy(() -> Cursor.decode("errors", token, 2));
		}
		Cursor words = Cursor.decode("errors", Cursor.encode("errors", "x", "y"), 2);
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> words.number(0));
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> words.uuid(1));
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> words.instant(1));
	}

}
