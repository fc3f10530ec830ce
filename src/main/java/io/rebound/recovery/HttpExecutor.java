package io.rebound.recovery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Carries an action out over HTTP: {@code POST <control_url>/<verb>} with a small JSON
 * body (incident, level, strategy, agent and the strategy's parameters). The URL comes
 * from the registry, never from an event; the verb from a strategy. A 2xx means the agent
 * accepted the action — not that it recovered.
 */
@Component
class HttpExecutor implements Executor {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	@Override
	public String kind() {
		return "http";
	}

	@Override
	public Outcome execute(Strategy.Action action, Context context, Duration timeout) {
		String base = action.address().endsWith("/") ? action.address() : action.address() + "/";
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("incident_id", context.incidentId().toString());
		body.put("level", context.level());
		body.put("strategy", context.strategy());
		body.put("agent", action.agent());
		body.putAll(action.params());
		try {
			HttpResponse<Void> response = this.client.send(HttpRequest.newBuilder(URI.create(base + action.verb()))
				.timeout(timeout)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
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
