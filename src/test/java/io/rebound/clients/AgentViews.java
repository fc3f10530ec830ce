package io.rebound.clients;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.rebound.Http;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the client tests read back from Rebound about an agent. */
final class AgentViews {

	private AgentViews() {
	}

	/** The agent's errors by type. */
	static Map<String, JsonNode> errorsBy(Http rebound, String source) {
		Map<String, JsonNode> byType = new HashMap<>();
		rebound.get("/api/errors?source=" + source)
			.json()
			.get("items")
			.valueStream()
			.forEach((e) -> byType.put(e.get("type").asString(), e));
		return byType;
	}

	/** The newest event of an error. */
	static JsonNode firstEvent(Http rebound, JsonNode error) {
		return rebound.get("/api/errors/" + error.get("id").asString() + "/events").json().get("items").get(0);
	}

	/**
	 * Waits for the agent to be {@code stopped}, then checks it stays so, never failed on
	 * the way.
	 */
	static void stoppedNeverFailed(Http rebound, String id) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> rebound.get("/api/agents/" + id).json().get("agent").get("state").asString(),
					"stopped"::equals);
		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			JsonNode details = rebound.get("/api/agents/" + id).json();
			assertThat(details.get("agent").get("state").asString()).isEqualTo("stopped");
			assertThat(details.get("health_history").valueStream().map((t) -> t.get("to").asString()))
				.doesNotContain("failed", "critical");
		});
	}

}
