package io.rebound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP calls to a running Rebound, with the answer's status, content type and JSON.
 */
public final class Http {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** The operator key every integration test context accepts (its bootstrap key). */
	public static final String OPERATOR_KEY = "rbk_itoperat_0123456789abcdefghijklmnopqrstuvwxyzABCD";

	private final String base;

	private final String key;

	private final Map<String, String> headers = new java.util.LinkedHashMap<>();

	/** Calls as an operator. */
	public Http(int port) {
		this(port, OPERATOR_KEY);
	}

	/**
	 * Calls with this API key.
	 * @param port Rebound's port
	 * @param key the key, or {@code null} to call without one
	 */
	public Http(int port, String key) {
		this.base = "http://localhost:" + port;
		this.key = key;
	}

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param contentType the content type, or empty
	 * @param body the raw body
	 * @param headers the headers
	 */
	public record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

	}

	public Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
	}

	public Response post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	public Response put(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json)));
	}

	public Response delete(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).DELETE());
	}

	public Response post(String path, String contentType, byte[] body) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
	}

	/** A {@code POST} to an absolute URL (another server than Rebound). */
	public Response postTo(String url, String json) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	/** Sends this header with every call. */
	public Http withHeader(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	private Response send(HttpRequest.Builder request) {
		if (this.key != null) {
			request.header("X-API-Key", this.key);
		}
		this.headers.forEach(request::header);
		try {
			HttpResponse<String> response = this.client.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body(), response.headers());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static String json(Object value) {
		return JSON.writeValueAsString(value);
	}

}
