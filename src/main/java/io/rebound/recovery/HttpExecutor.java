package io.rebound.recovery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.rebound.agents.AgentGraph;
import io.rebound.security.ControlSecrets;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Carries an action out over HTTP: {@code POST <control_url>/<verb>} with the control
 * contract's JSON body (run, attempt, incident, level, strategy, agent, verb, parameters,
 * deadline), signed with the agent's control secret. The URL comes from the registry,
 * never from an event; the verb from a strategy. A 2xx means the agent did or accepted
 * the action — not that it recovered; {@code 409} that it does not apply there.
 */
@Component
class HttpExecutor implements Executor {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	private final ControlSecrets secrets;

	private final Clock clock;

	private final AgentGraph agents;

	HttpExecutor(ControlSecrets secrets, Clock clock, AgentGraph agents) {
		this.secrets = secrets;
		this.clock = clock;
		this.agents = agents;
	}

	@Override
	public String kind() {
		return "http";
	}

	@Override
	public Outcome execute(Strategy.Action action, Context context, Duration timeout) {
		String base = action.address().endsWith("/") ? action.address() : action.address() + "/";
		URI uri = URI.create(base + action.verb());
		Instant now = this.clock.instant();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("run_id", (context.runId() != null) ? context.runId().toString() : null);
		body.put("attempt_id", (context.attemptId() != null) ? context.attemptId().toString() : null);
		body.put("incident_id", context.incidentId().toString());
		body.put("level", context.level());
		body.put("strategy", context.strategy());
		body.put("agent", action.agent());
		body.put("verb", action.verb());
		body.put("parameters", action.params());
		body.put("deadline", now.plus(timeout).toString());
		if (action.verb().equals("restart")) {
			// where each of its tasks stood: the restarted agent resumes from there
			body.put("checkpoints", this.agents.checkpoints(action.agent()));
		}
		byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
		Optional<String> secret = this.secrets.of(action.agent());
		secret.ifPresent((s) -> {
			long timestamp = now.getEpochSecond();
			request.header(ControlSecrets.TIMESTAMP_HEADER, Long.toString(timestamp));
			request.header(ControlSecrets.SIGNATURE_HEADER,
					ControlSecrets.sign(s, "POST", uri.getRawPath(), timestamp, bytes));
		});
		String call = "POST " + uri + (secret.isPresent() ? "" : " (unsigned: no control secret issued)");
		try {
			HttpResponse<Void> response = this.client.send(request.build(), HttpResponse.BodyHandlers.discarding());
			int status = response.statusCode();
			boolean ok = status >= 200 && status < 300;
			return new Outcome(ok, call + " -> " + status + meaning(status), status == 409);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome(false, "interrupted");
		}
		catch (Exception ex) {
			return new Outcome(false, call + " failed: " + ex.getClass().getSimpleName());
		}
	}

	private static String meaning(int status) {
		return switch (status) {
			case 202 -> " (accepted, still working)";
			case 401, 403 -> " (refused: the agent did not accept Rebound's signature)";
			case 409 -> " (not applicable there)";
			default -> "";
		};
	}

}
