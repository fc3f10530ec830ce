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
			server.start();
		}
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
	}

	/** Every body received so far. */
	public static List<String> received() {
		return List.copyOf(RECEIVED);
	}

}
