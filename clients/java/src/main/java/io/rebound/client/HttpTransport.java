package io.rebound.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Events to {@code POST /api/errors}, heartbeats and registration to the agents API. */
final class HttpTransport implements Transport {

	private final String url;

	private final String key;

	private final HttpClient client;

	private final Duration timeout;

	HttpTransport(String url, String key, Duration timeout) {
		this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
		this.key = key;
		this.timeout = timeout;
		this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
	}

	private HttpResponse<String> post(String path, String body) throws RetryLater {
		HttpResponse<String> response = send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)), "POST " + path);
		int status = response.statusCode();
		if (status == 429 || status >= 500) {
			throw new RetryLater("POST " + path + " -> " + status,
					retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
		}
		return response;
	}

	/** A {@code GET}'s body when it answers 200. */
	String get(String path) throws RetryLater {
		HttpResponse<String> response = send(request(path).header("Accept", "application/json").GET(),
				"GET " + path);
		if (response.statusCode() != 200) {
			throw new RetryLater("GET " + path + " -> " + response.statusCode(),
					retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
		}
		return response.body();
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.url + path))
			.timeout(this.timeout)
			.header("User-Agent", "rebound-client-java");
		if (this.key != null) {
			request.header("X-API-Key", this.key);
		}
		return request;
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String what) throws RetryLater {
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new RetryLater(what + " failed: " + ex, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RetryLater("interrupted", null);
		}
	}

	static Duration retryAfter(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Duration.ofMillis((long) (Math.max(0, Double.parseDouble(value.strip())) * 1000));
		}
		catch (NumberFormatException ex) {
			try {
				ZonedDateTime when = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
				Duration left = Duration.between(ZonedDateTime.now(when.getZone()), when);
				return left.isNegative() ? Duration.ZERO : left;
			}
			catch (RuntimeException unparsable) {
				return null;
			}
		}
	}

	@Override
	public void sendEvents(List<String> events) throws RetryLater, Rejected {
		HttpResponse<String> response = post("/api/errors", "[" + String.join(",", events) + "]");
		int status = response.statusCode();
		if (status == 202) {
			return;
		}
		if (status == 400) {
			throw new Rejected("Rebound refused the events: " + abbreviated(response.body()), badIndexes(response.body(),
					events.size()));
		}
		// 401, 403, 413…: nothing waiting mends, but an operator can; keep the events.
		throw new RetryLater("POST /api/errors -> " + status + " " + abbreviated(response.body()),
				Duration.ofSeconds(30));
	}

	private static List<Integer> badIndexes(String body, int size) {
		List<Integer> bad = new ArrayList<>();
		try {
			if (Json.read(body) instanceof Map<?, ?> problem && problem.get("errors") instanceof List<?> errors) {
				for (Object error : errors) {
					if (error instanceof Map<?, ?> e && e.get("index") instanceof Number index
							&& !bad.contains(index.intValue())) {
						bad.add(index.intValue());
					}
				}
			}
		}
		catch (IllegalArgumentException ex) {
			// not problem details: all of them are refused
		}
		if (bad.isEmpty()) {
			for (int i = 0; i < size; i++) {
				bad.add(i);
			}
		}
		return bad;
	}

	@Override
	public void sendHeartbeat(String agentId, Map<String, Object> body) throws RetryLater {
		HttpResponse<String> response = post("/api/agents/" + agentId + "/heartbeat", Json.write(body));
		if (response.statusCode() != 202) {
			throw new RetryLater("heartbeat -> " + response.statusCode() + " " + abbreviated(response.body()), null);
		}
	}

	@Override
	public void register(Map<String, Object> registration) throws RetryLater {
		HttpResponse<String> response = post("/api/agents", Json.write(registration));
		if (response.statusCode() == 400) {
			throw new IllegalArgumentException("Rebound refused the registration: " + response.body());
		}
		if (response.statusCode() >= 300) {
			throw new RetryLater("POST /api/agents -> " + response.statusCode(), null);
		}
	}

	private static String abbreviated(String body) {
		return (body.length() > 300) ? body.substring(0, 300) + "…" : body;
	}

	@Override
	public void close() {
		// java.net.http.HttpClient of Java 17 has nothing to close
	}

}
