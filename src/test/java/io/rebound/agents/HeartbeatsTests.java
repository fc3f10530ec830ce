package io.rebound.agents;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The circuit breakers a heartbeat reports, and what is refused. */
class HeartbeatsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void breakersAreReadByNameWithTheirStates() {
		Heartbeat beat = Heartbeats.of("a",
				json("{\"circuit_breakers\": {\"inventory\": \"half_open\", \"db\": \"closed\"}}"), Instant.EPOCH);

		assertThat(beat.breakers()).isEqualTo(Map.of("inventory", "half_open", "db", "closed"));
		assertThat(Heartbeats.of("a", json("{}"), Instant.EPOCH).breakers()).isEmpty();
	}

	@Test
	void anUnknownStateOrAShapeThatIsNoMapIsRefusedNamingTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> Heartbeats.of("a", json("{\"circuit_breakers\": {\"inventory\": \"ajar\"}}"), Instant.EPOCH))
			.withMessageStartingWith("circuit_breakers.inventory: must be one of");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Heartbeats.of("a", json("{\"circuit_breakers\": [\"inventory\"]}"), Instant.EPOCH))
			.withMessageStartingWith("circuit_breakers: must be an object");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Heartbeats.of("a", json("{\"circuit_breakers\": {\"inventory\": 1}}"), Instant.EPOCH))
			.withMessageContaining("not 1");
	}

	private static JsonNode json(String text) {
		return JSON.readTree(text);
	}

}
