package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The feature map of the test settings ({@code checkout} needs {@code payments-it} and is
 * critical) against a real HTTP agent: a failing dependency switches its feature off, and
 * it comes back on only once the dependency's recovery is verified. (Other tests use the
 * map's other features, so only {@code checkout}'s part is judged here.)
 */
@IntegrationTest
class GracefulDegradationIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void aFailingDependencySwitchesItsFeatureOffUntilItsRecoveryIsVerified() throws Exception {
		Http http = new Http(this.port);
		try (FakeAgent payments = new FakeAgent("payments-it", "restart", http)) {
			payments.cure();
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(checkout(http).get("enabled").asBoolean()).isTrue());

			payments.breakAgain();
			http.post("/api/errors", Http.json(Map.of("source", "payments-it", "type", "stall", "severity", "critical",
					"message", "payment engine stalled")));

			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				JsonNode degradation = http.get("/api/degradation").json();
				assertThat(degradation.get("features_off").valueStream().map(JsonNode::asString)).contains("checkout");
				assertThat(degradation.get("level").asString()).isIn("severe", "minimal", "emergency");
			});
			JsonNode checkout = checkout(http);
			assertThat(checkout.get("criticality").asString()).isEqualTo("critical");
			assertThat(checkout.get("why").get(0).asString()).startsWith("payments-it is ");

			JsonNode run = await().atMost(Duration.ofSeconds(10))
				.until(() -> Runs.newest(http, "payments-it"), (r) -> r != null);
			String runId = run.get("run").get("id").asString();
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(checkout(http).get("enabled").asBoolean()).isTrue());

			JsonNode done = http.get("/api/recovery/runs/" + runId).json().get("run");
			assertThat(done.get("status").asString()).isEqualTo("succeeded");
			List<JsonNode> changes = http.get("/api/degradation").json().get("changes").valueStream().toList();
			JsonNode on = changes.stream()
				.filter((c) -> c.get("why").asString().contains("checkout on again"))
				.findFirst()
				.orElseThrow();
			assertThat(Instant.parse(on.get("at").asString()))
				.as("back on only once the recovery was verified, not at the restart")
				.isAfterOrEqualTo(Instant.parse(done.get("ended_at").asString()));
			assertThat(on.get("features_off").valueStream()).noneMatch((f) -> f.asString().equals("checkout"));
			assertThat(changes).anyMatch((c) -> c.get("why").asString().contains("checkout off: payments-it is "));
		}
	}

	private static JsonNode checkout(Http http) {
		return http.get("/api/degradation")
			.json()
			.get("features")
			.valueStream()
			.filter((f) -> f.get("name").asString().equals("checkout"))
			.findFirst()
			.orElseThrow();
	}

}
