package io.rebound.agents;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Active probes against real HTTP agents started by the test: one healthy, one answering
 * 500, one that never answers.
 */
@IntegrationTest
class ProbeIntegrationTests {

	@LocalServerPort
	int port;

	Http http;

	HttpServer agents;

	final CountDownLatch release = new CountDownLatch(1);

	String prefix;

	@BeforeEach
	void setUp() throws IOException {
		this.http = new Http(this.port);
		this.prefix = "probed-" + UUID.randomUUID().toString().substring(0, 8);
		this.agents = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.agents.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.agents.createContext("/ok", (exchange) -> {
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.agents.createContext("/broken", (exchange) -> {
			exchange.sendResponseHeaders(500, -1);
			exchange.close();
		});
		this.agents.createContext("/hang", (exchange) -> {
			try {
				this.release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		this.agents.start();
	}

	@AfterEach
	void tearDown() {
		this.release.countDown();
		this.agents.stop(0);
	}

	@Test
	void healthyBrokenAndHangingAgentsAreJudgedIndependently() {
		register("ok");
		register("broken");
		register("hang");
		// probed one after another, 20 hanging agents would hold each round for 6 s
		for (int i = 0; i < 20; i++) {
			register("hang", "hang-" + i);
		}

		await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
			assertThat(state("broken")).isEqualTo("failed");
			assertThat(state("hang")).isEqualTo("failed");
		});
		assertThat(state("ok")).isEqualTo("healthy");
		assertThat(this.http.get("/api/agents/" + this.prefix + "-hang")
			.json()
			.get("health_history")
			.get(0)
			.get("reason")
			.asString()).contains("no answer within 300 ms");
		assertThat(this.http.get("/api/agents/" + this.prefix + "-broken")
			.json()
			.get("health_history")
			.get(0)
			.get("reason")
			.asString()).contains("HTTP 500");
	}

	private void register(String name) {
		register(name, name);
	}

	private void register(String path, String name) {
		Http.Response response = this.http.post("/api/agents", Http.json(Map.of("id", this.prefix + "-" + name,
				"health_url", "http://127.0.0.1:" + this.agents.getAddress().getPort() + "/" + path)));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	private String state(String name) {
		return this.http.get("/api/agents/" + this.prefix + "-" + name).json().get("agent").get("state").asString();
	}

}
