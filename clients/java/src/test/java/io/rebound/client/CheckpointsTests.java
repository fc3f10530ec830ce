package io.rebound.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client's side of checkpoints against a stand-in for Rebound's API (the live API is
 * tested in the service's JavaClientIntegrationTests): saving does not wait, the newest
 * state of a task wins while Rebound is away, and what is read back has its hash checked.
 */
class CheckpointsTests {

	/** How many PUTs are answered 404: the agent is not registered yet. */
	private final java.util.concurrent.atomic.AtomicInteger unknownAgent = new java.util.concurrent.atomic.AtomicInteger();

	HttpServer server;

	final List<String> puts = new CopyOnWriteArrayList<>();

	volatile boolean down;

	volatile boolean corrupt;

	volatile String stored;

	Checkpoints checkpoints;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/api/agents/a-1/checkpoints/", this::handle);
		this.server.start();
		this.checkpoints = new Checkpoints("http://127.0.0.1:" + this.server.getAddress().getPort(), null, "a-1",
				Duration.ofSeconds(2), Duration.ofMillis(200));
	}

	@AfterEach
	void stop() {
		this.checkpoints.close();
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		switch (exchange.getRequestMethod()) {
			case "PUT" -> {
				if (this.down) {
					exchange.sendResponseHeaders(503, -1);
				}
				else if (this.unknownAgent.getAndDecrement() > 0) {
					exchange.sendResponseHeaders(404, -1);
				}
				else {
					this.puts.add(body);
					this.stored = body;
					byte[] answer = ("{\"version\":" + this.puts.size() + ",\"sha256\":\""
							+ Checkpoints.sha256(body.getBytes(StandardCharsets.UTF_8)) + "\"}")
						.getBytes(StandardCharsets.UTF_8);
					exchange.sendResponseHeaders(201, answer.length);
					exchange.getResponseBody().write(answer);
				}
			}
			case "GET" -> {
				if (this.stored == null) {
					exchange.sendResponseHeaders(404, -1);
				}
				else {
					byte[] bytes = this.stored.getBytes(StandardCharsets.UTF_8);
					byte[] sent = this.corrupt ? "{\"tampered\":true}".getBytes(StandardCharsets.UTF_8) : bytes;
					exchange.getResponseHeaders().add("X-Rebound-Checkpoint-Version", Integer.toString(this.puts.size()));
					exchange.getResponseHeaders().add("X-Rebound-Checkpoint-Sha256", Checkpoints.sha256(bytes));
					exchange.sendResponseHeaders(200, sent.length);
					exchange.getResponseBody().write(sent);
				}
			}
			default -> {
				exchange.sendResponseHeaders((this.stored != null) ? 204 : 404, -1);
				this.stored = null;
			}
		}
		exchange.close();
	}

	@Test
	void whileReboundIsAwayTheNewestStateOfATaskWinsAndEveryCallerHears() throws Exception {
		this.down = true;
		CompletableFuture<Checkpoints.Saved> first = this.checkpoints.save("train", Map.of("step", 1));
		Thread.sleep(300);
		CompletableFuture<Checkpoints.Saved> second = this.checkpoints.save("train", Map.of("step", 2));
		CompletableFuture<Checkpoints.Saved> third = this.checkpoints.save("train", Map.of("step", 3));
		assertThat(first).isNotDone();
		this.down = false;

		Checkpoints.Saved newest = third.get(5, TimeUnit.SECONDS);
		// a state on its way when Rebound came back, or when a newer one came, may be
		// stored; one replaced while it waited is not sent: each caller hears of the
		// store that took its state or a newer one
		assertThat(first.get(5, TimeUnit.SECONDS).version()).isLessThanOrEqualTo(second.get(5, TimeUnit.SECONDS).version());
		assertThat(second.get().version()).isLessThanOrEqualTo(newest.version());
		assertThat(this.puts).as("the newest state is the last stored").last().isEqualTo("{\"step\":3}");
		assertThat(this.puts).as("retried, not repeated").hasSizeLessThanOrEqualTo(2);
		assertThat(newest.version()).isEqualTo(this.puts.size());
	}

	@Test
	void aSaveBeforeTheAgentsRegistrationLandedWaitsForIt() throws Exception {
		this.unknownAgent.set(2);

		assertThat(this.checkpoints.save("train", Map.of("done", List.of("fetch"))).get(5, TimeUnit.SECONDS).version())
			.isEqualTo(1);
		assertThat(this.puts).hasSize(1);
	}

	@Test
	void whatIsReadBackHasItsHashChecked() throws Exception {
		this.checkpoints.save("train", Map.of("done", List.of("fetch"))).get(5, TimeUnit.SECONDS);
		assertThat(this.checkpoints.load("train").orElseThrow().state()).containsEntry("done", List.of("fetch"));

		this.corrupt = true;
		assertThatExceptionOfType(Checkpoints.CorruptCheckpoint.class).isThrownBy(() -> this.checkpoints.load("train"));
	}

	@Test
	void noCheckpointIsEmptyAndCompletingDropsIt() throws Exception {
		assertThat(this.checkpoints.load("train")).isEmpty();
		this.checkpoints.save("train", Map.of("x", 1)).get(5, TimeUnit.SECONDS);
		this.checkpoints.complete("train").get(5, TimeUnit.SECONDS);
		assertThat(this.checkpoints.load("train")).isEmpty();
	}

}
