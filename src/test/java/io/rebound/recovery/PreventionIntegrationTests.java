package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Preemptive healing against real HTTP agents heartbeating to Rebound: a leak is
 * predicted and acted on before it fails, and a noisy but healthy agent is left alone.
 */
@IntegrationTest
class PreventionIntegrationTests {

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
	}

	@Test
	void aLeakingAgentGetsAPreemptiveRunBeforeItFailsVerifiedOnlyOnceTheLeakStopped() throws Exception {
		String id = "leaky-" + UUID.randomUUID().toString().substring(0, 8);
		try (FakeAgent agent = new FakeAgent(id, "restart", this.http)) {
			agent.healthyWhileBroken();
			// memory from 0.3, 0.003 more every heartbeat (150 ms) while it leaks: 0.9
			// (degraded) after 30 s, 0.98 (critical) after 34 s; a restart frees it
			AtomicInteger beats = new AtomicInteger();
			Random noise = new Random(1);
			agent.reports(() -> Map.of("memory",
					agent.broken() ? 0.3 + 0.003 * beats.incrementAndGet() : 0.3 + 0.005 * noise.nextGaussian()));

			JsonNode run = await().atMost(Duration.ofSeconds(20))
				.until(() -> Runs.newest(this.http, id), (r) -> r != null);
			double memoryAtStart = 0.3 + 0.003 * beats.get();
			JsonNode incident = this.http.get("/api/incidents/" + run.get("run").get("incident_id").asString()).json();
			assertThat(incident.get("cause").asString()).isEqualTo("predicted_failure");
			assertThat(run.get("run").get("level").asInt()).isEqualTo(2);
			assertThat(memoryAtStart).as("memory when the preemptive run started").isLessThan(0.9);

			String runId = run.get("run").get("id").asString();
			await().atMost(Duration.ofSeconds(25))
				.untilAsserted(() -> assertThat(
						this.http.get("/api/recovery/runs/" + runId).json().get("run").get("status").asString())
					.isEqualTo("succeeded"));
			JsonNode done = this.http.get("/api/recovery/runs/" + runId).json();
			List<String> levels = Runs.levels(done);
			// the gentle level did not stop the leak: still predicted, so not recovered
			assertThat(levels.get(0)).startsWith("2:").endsWith(":failed");
			assertThat(done.get("attempts").get(0).get("evidence").get("failure_predicted").asBoolean()).isTrue();
			assertThat(levels.get(levels.size() - 1)).isEqualTo("3:restart:succeeded");
			assertThat(agent.calls).contains("restart");
			assertThat(beats.get() * 0.003 + 0.3).as("memory when the restart stopped the leak").isLessThan(0.98);

			JsonNode details = this.http.get("/api/agents/" + id).json();
			assertThat(details.get("health_history").valueStream().map((t) -> t.get("to").asString()))
				.doesNotContain("critical", "failed");
			JsonNode prediction = details.get("predictions").get(0);
			assertThat(prediction.get("metric").asString()).isEqualTo("memory");
			assertThat(prediction.get("limit").asDouble()).isEqualTo(0.98);
			assertThat(prediction.get("confidence").asDouble()).isGreaterThanOrEqualTo(0.7);
			assertThat(prediction.get("outcome").asString()).isEqualTo("lapsed");
			JsonNode errors = this.http.get("/api/errors?source=" + id + "&type=predicted_failure").json().get("items");
			assertThat(errors).hasSize(1);
		}
	}

	@Test
	void aNoisyButHealthyAgentGetsNoPredictionAndNoRun() throws Exception {
		String id = "noisy-" + UUID.randomUUID().toString().substring(0, 8);
		try (FakeAgent agent = new FakeAgent(id, "restart", this.http)) {
			agent.cure();
			Random noise = new Random(2);
			AtomicInteger beats = new AtomicInteger();
			agent.reports(() -> {
				beats.incrementAndGet();
				return Map.of("memory", 0.6 + 0.04 * noise.nextGaussian(), "response_time_ms",
						200 + 40 * noise.nextGaussian(), "queue_depth", (double) noise.nextInt(20));
			});

			await().atMost(Duration.ofSeconds(30)).until(() -> beats.get() >= 80);

			JsonNode details = this.http.get("/api/agents/" + id).json();
			assertThat(details.get("agent").get("state").asString()).isEqualTo("healthy");
			assertThat(details.get("predictions")).isEmpty();
			assertThat(this.http.get("/api/incidents?root_agent=" + id).json().get("items")).isEmpty();
			assertThat(this.http.get("/api/errors?source=" + id + "&type=predicted_failure").json().get("items"))
				.isEmpty();
		}
	}

}
