package io.rebound.recovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;
import io.rebound.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code notify} executor against real HTTP receivers: the generic, Slack-compatible
 * and Alertmanager-compatible bodies, the policy's choice of webhooks, and a receiver
 * that fails.
 */
class NotifyExecutorTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	HttpServer server;

	Map<String, String> received = new ConcurrentHashMap<>();

	@BeforeEach
	void setUp() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> {
			this.received.put(exchange.getRequestURI().getPath(),
					new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/broken") ? 500 : 200, -1);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void tearDown() {
		this.server.stop(0);
	}

	@Test
	void eachWebhookGetsItsFormat() {
		NotifyExecutor notifier = notifier(webhook("ops", "/generic", "generic"), webhook("chat", "/slack", "slack"),
				webhook("am", "/api/v2/alerts", "alertmanager"));
		NotifyExecutor.Notice notice = notice("waiting_approval", Policy.DEFAULTS);

		List<String> answers = notifier.send(notice);

		assertThat(answers).containsExactly("ops -> 200", "chat -> 200", "am -> 200");
		JsonNode generic = JSON.readTree(this.received.get("/generic"));
		assertThat(generic.get("event").asString()).isEqualTo("recovery.approval_needed");
		assertThat(generic.get("agent").asString()).isEqualTo("payments");
		assertThat(generic.get("approve").asString()).isEqualTo("/api/recovery/runs/" + notice.runId() + "/approve");
		assertThat(JSON.readTree(this.received.get("/slack")).get("text").asString())
			.contains("Recovery of payments waits for approval of level 5", notice.incidentId().toString());
		JsonNode alert = JSON.readTree(this.received.get("/api/v2/alerts")).get(0);
		assertThat(alert.get("labels").get("alertname").asString()).isEqualTo("ReboundRecoveryAwaitsApproval");
		assertThat(alert.get("labels").get("agent").asString()).isEqualTo("payments");
		assertThat(alert.get("annotations").get("description").asString()).isEqualTo("levels 1 to 4 failed");
		assertThat(alert.get("startsAt").asString()).isNotBlank();
	}

	@Test
	void aPolicyThatNamesWebhooksSendsOnlyToThoseAndAFailingOneIsReported() {
		NotifyExecutor notifier = notifier(webhook("ops", "/generic", "generic"), webhook("down", "/broken", "slack"),
				webhook("other", "/other", "generic"));
		Policy policy = io.rebound.Settings.bind("policy", Policy.class, "webhooks=ops,down");

		List<String> answers = notifier.send(notice("waiting_person", policy));

		assertThat(answers).containsExactly("ops -> 200", "down -> 500");
		assertThat(this.received).containsOnlyKeys("/generic", "/broken");
		assertThat(JSON.readTree(this.received.get("/generic")).get("event").asString())
			.isEqualTo("recovery.person_needed");
	}

	@Test
	void anUnknownFormatIsAConfigurationError() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> webhook("x", "/x", "teams"))
			.withMessageContaining(
					"rebound.recovery.webhooks.x.format: 'teams' is not one of generic, slack, alertmanager");
	}

	private RecoveryProperties.Webhook webhook(String name, String path, String format) {
		return new RecoveryProperties.Webhook(name,
				URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + path), format);
	}

	private static NotifyExecutor.Notice notice(String status, Policy policy) {
		return new NotifyExecutor.Notice(UUID.randomUUID(), UUID.randomUUID(), "payments", 5, status,
				"levels 1 to 4 failed", policy);
	}

	private static NotifyExecutor notifier(RecoveryProperties.Webhook... webhooks) {
		List<String> pairs = new java.util.ArrayList<>();
		for (int i = 0; i < webhooks.length; i++) {
			pairs.add("webhooks[" + i + "].name=" + webhooks[i].name());
			pairs.add("webhooks[" + i + "].url=" + webhooks[i].url());
			pairs.add("webhooks[" + i + "].format=" + webhooks[i].format());
		}
		return new NotifyExecutor(
				Settings.bind("rebound.recovery", RecoveryProperties.class, pairs.toArray(String[]::new)));
	}

}
