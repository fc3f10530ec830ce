package io.rebound.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The agent's control endpoint, on the JDK's HTTP server: {@code POST <prefix>/<verb>}
 * signed by Rebound, dispatched to the handler registered for the verb, and
 * {@code GET /health} from a callback. Each attempt is carried out once: a call repeated
 * with the same {@code attempt_id} gets the first answer again.
 */
final class ControlServer implements AutoCloseable {

	private static final Logger log = System.getLogger("io.rebound.client");

	private static final int MAX_BODY = 64 * 1024;

	private final HttpServer server;

	private final ExecutorService threads = Executors.newCachedThreadPool((r) -> {
		Thread thread = new Thread(r, "rebound-control");
		thread.setDaemon(true);
		return thread;
	});

	private final String secret;

	private final Map<String, ControlHandler> handlers;

	private final Supplier<Boolean> health;

	private final long maxSkewSeconds;

	private final Map<String, ControlAnswer> answers = new ConcurrentHashMap<>();

	final List<ControlCall> calls = new CopyOnWriteArrayList<>();

	ControlServer(String host, int port, String secret, Map<String, ControlHandler> handlers,
			Supplier<Boolean> health, long maxSkewSeconds) throws IOException {
		this.secret = secret;
		this.handlers = handlers;
		this.health = health;
		this.maxSkewSeconds = maxSkewSeconds;
		this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
		this.server.setExecutor(this.threads);
		this.server.createContext("/control/", this::control);
		this.server.createContext("/health", this::health);
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	private void health(HttpExchange exchange) throws IOException {
		boolean ok;
		try {
			ok = (this.health == null) || Boolean.TRUE.equals(this.health.get());
		}
		catch (RuntimeException ex) {
			ok = false;
		}
		answer(exchange, ok ? 200 : 503, Map.of("status", ok ? "ok" : "failing"));
	}

	private void control(HttpExchange exchange) throws IOException {
		if (!"POST".equals(exchange.getRequestMethod())) {
			answer(exchange, 405, Map.of("error", "POST only"));
			return;
		}
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readNBytes(MAX_BODY + 1);
		}
		if (body.length > MAX_BODY) {
			answer(exchange, 413, Map.of("error", "body over 64 KiB"));
			return;
		}
		String path = exchange.getRequestURI().getRawPath();
		String why = Signatures.refusal(this.secret, "POST", path,
				exchange.getRequestHeaders().getFirst("X-Rebound-Timestamp"),
				exchange.getRequestHeaders().getFirst("X-Rebound-Signature"), body,
				System.currentTimeMillis() / 1000, this.maxSkewSeconds);
		if (why != null) {
			log.log(Level.WARNING, "rebound-client: refused a control call to {0}: {1}", path, why);
			answer(exchange, 401, Map.of("error", why));
			return;
		}
		Map<String, Object> fields;
		try {
			Object parsed = Json.read(new String(body, StandardCharsets.UTF_8).isBlank() ? "{}"
					: new String(body, StandardCharsets.UTF_8));
			if (!(parsed instanceof Map<?, ?>)) {
				throw new IllegalArgumentException("not an object");
			}
			@SuppressWarnings("unchecked")
			Map<String, Object> map = (Map<String, Object>) parsed;
			fields = map;
		}
		catch (IllegalArgumentException ex) {
			answer(exchange, 400, Map.of("error", "body is not a JSON object: " + ex.getMessage()));
			return;
		}
		ControlCall call = ControlCall.of(path.substring("/control/".length()), fields);
		ControlAnswer result = (call.attemptId() != null)
				? this.answers.computeIfAbsent(call.attemptId() + " " + call.verb(), (k) -> dispatch(call))
				: dispatch(call);
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("status", switch (result.status()) {
			case 200 -> "done";
			case 202 -> "accepted";
			case 409 -> "not_applicable";
			default -> "failed";
		});
		out.put("detail", result.detail());
		answer(exchange, result.status(), out);
		if (this.answers.size() > 1000) {
			this.answers.clear();
		}
	}

	private ControlAnswer dispatch(ControlCall call) {
		ControlHandler handler = this.handlers.get(call.verb());
		this.calls.add(call);
		if (handler == null) {
			return ControlAnswer.notApplicable("no handler for '" + call.verb() + "' here");
		}
		try {
			ControlAnswer answer = handler.handle(call);
			return (answer != null) ? answer : ControlAnswer.done();
		}
		catch (Exception ex) {
			log.log(Level.ERROR, "rebound-client: the " + call.verb() + " handler failed", ex);
			return ControlAnswer.failed(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	private static void answer(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
		byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.threads.shutdownNow();
	}

}
