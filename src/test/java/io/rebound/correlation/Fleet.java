package io.rebound.correlation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet of agents driven over Rebound's real REST API: register, heartbeat, report
 * errors, and read back where each error landed.
 */
final class Fleet {

	final Http http;

	Fleet(Http http) {
		this.http = http;
	}

	void register(String id, String kind, List<String> dependsOn) {
		Http.Response response = this.http.post("/api/agents",
				Http.json(Map.of("id", id, "kind", kind, "depends_on", dependsOn)));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	void heartbeat(String agent, String status) {
		Http.Response response = this.http.post("/api/agents/" + agent + "/heartbeat",
				Http.json(Map.of("status", status)));
		assertThat(response.status()).as(response.body()).isEqualTo(202);
	}

	/** Reports one error; answers its error id. */
	UUID report(String source, String type, String severity, String message) {
		Http.Response response = this.http.post("/api/errors",
				Http.json(Map.of("source", source, "type", type, "severity", severity, "message", message)));
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		return UUID.fromString(response.json().get("accepted").get(0).get("error_id").asString());
	}

	/** The newest incident each of these errors is part of, by error. */
	Map<UUID, JsonNode> incidentsOf(List<UUID> errors, java.time.Instant since) {
		Map<UUID, JsonNode> found = new HashMap<>();
		String cursor = null;
		do {
			String page = "/api/incidents?limit=500&since=" + since + ((cursor != null) ? "&cursor=" + cursor : "");
			JsonNode listing = this.http.get(page).json();
			for (JsonNode summary : listing.get("items")) {
				JsonNode details = this.http.get("/api/incidents/" + summary.get("id").asString()).json();
				for (JsonNode error : details.get("errors")) {
					UUID id = UUID.fromString(error.get("error_id").asString());
					if (errors.contains(id)) {
						found.putIfAbsent(id, details);
					}
				}
			}
			cursor = listing.get("next_cursor").isNull() ? null : listing.get("next_cursor").asString();
		}
		while (cursor != null);
		return found;
	}

	static void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static List<UUID> list(UUID... ids) {
		return new ArrayList<>(List.of(ids));
	}

}
