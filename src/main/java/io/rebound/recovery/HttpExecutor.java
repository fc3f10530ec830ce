package io.rebound.recovery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * Carries an action out over HTTP: {@code POST <control_url>/<verb>} with a small JSON
 * body. The URL comes from the registry, never from an event; the verb from a strategy. A
 * 2xx means the agent accepted the action — not that it recovered.
 */
@Component
class HttpExecutor {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	private final Duration timeout;

	HttpExecutor(RecoveryProperties properties) {
		this.timeout = properties.actionTimeout();
	}

	/**
	 * The executor's answer.
	 *
	 * @param accepted whether the agent answered 2xx
	 * @param detail the status or the failure
	 */
	record Outcome(boolean accepted, String detail) {
	}

	Outcome execute(Strategy.Action action, UUID incidentId, int level, String strategy) {
		String base = action.controlUrl().endsWith("/") ? action.controlUrl() : action.controlUrl() + "/";
		String body = "{\"incident_id\":\"" + incidentId + "\",\"level\":" + level + ",\"strategy\":\"" + strategy
				+ "\",\"agent\":\"" + action.agent().replace("\"", "") + "\"}";
		try {
			HttpResponse<Void> response = this.client.send(HttpRequest.newBuilder(URI.create(base + action.verb()))
				.timeout(this.timeout)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.discarding());
			boolean ok = response.statusCode() >= 200 && response.statusCode() < 300;
			return new Outcome(ok, "POST " + base + action.verb() + " -> " + response.statusCode());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome(false, "interrupted");
		}
		catch (Exception ex) {
			return new Outcome(false, "POST " + base + action.verb() + " failed: " + ex.getClass().getSimpleName());
		}
	}

}
