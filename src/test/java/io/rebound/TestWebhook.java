package io.rebound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver that every integration test context names as its recovery webhook
 * ({@code it-hook}), so a test can see what Rebound told people.
 */
public final class TestWebhook {

	private static HttpServer server;

	private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

	private TestWebhook() {
	}

	/** Its URL, starting it the first time. */
	static synchronized String url() {
		if (server == null) {
			try {
				server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			server.createContext("/hook", (exchange) -> {
				RECEIVED.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
				exchange.sendResponseHeaders(204, -1);
				exchange.close();
			});
			server.createContext("/subscriber", (exchange) -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				if (subscriberDown) {
					REFUSED.incrementAndGet();
					exchange.sendResponseHeaders(503, -1);
				}
				else {
					TAKEN.add(new Taken(exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
					exchange.sendResponseHeaders(202, -1);
				}
				exchange.close();
			});
			server.start();
		}
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
	}

	/**
	 * A notification the subscriber took.
	 *
	 * @param key its {@code Idempotency-Key}
	 * @param body what was POSTed
	 */
	public record Taken(String key, String body) {
	}

	private static final List<Taken> TAKEN = new CopyOnWriteArrayList<>();

	private static final java.util.concurrent.atomic.AtomicInteger REFUSED = new java.util.concurrent.atomic.AtomicInteger();

	private static volatile boolean subscriberDown;

	/**
	 * The URL of the webhook subscriber every integration context has
	 * ({@code it-subscriber}).
	 */
	static String subscriberUrl() {
		return url().replace("/hook", "/subscriber");
	}

	/** While down, the subscriber answers 503 to everything. */
	public static void subscriberDown(boolean down) {
		subscriberDown = down;
	}

	/** What the subscriber took, in order. */
	public static List<Taken> taken() {
		return List.copyOf(TAKEN);
	}

	/** How many attempts the subscriber refused while down. */
	public static int refused() {
		return REFUSED.get();
	}

	/** Every body received so far. */
	public static List<String> received() {
		return List.copyOf(RECEIVED);
	}

}
