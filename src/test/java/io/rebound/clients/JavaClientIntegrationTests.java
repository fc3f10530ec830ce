package io.rebound.clients;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import ch.qos.logback.classic.LoggerContext;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.rebound.Http;
import io.rebound.IntegrationTest;
import io.rebound.client.Checkpoints;
import io.rebound.client.ControlAnswer;
import io.rebound.client.ReboundClient;
import io.rebound.client.logback.ReboundAppender;
import io.rebound.client.resilience4j.Resilience4jBridge;
import io.rebound.recovery.Runs;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Java client ({@code clients/java}) against a live Rebound: registration, health,
 * reports and wrapped tasks, a clean stop, the Kafka transport, its bridges, and a ladder
 * run dispatched to its signed control endpoint.
 */
@IntegrationTest
class JavaClientIntegrationTests {

	@Value("${local.server.port}")
	int port;

	@Value("${spring.kafka.bootstrap-servers}")
	String kafka;

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.jdbc.core.JdbcTemplate jdbc;

	Http operator() {
		return new Http(this.port);
	}

	ReboundClient.Builder client(String id) {
		return AgentKeys.issue(operator(), id).javaClient(this.port, id, Duration.ofMillis(300));
	}

	@Test
	void registersTurnsHealthyReportsAndWrapsAndStopsWithoutFailing() throws Exception {
		String id = "java-planner";
		try (ReboundClient rebound = client(id).kind("planner").version("1.4.2").build()) {
			rebound.report("timeout", "LLM call timed out after 30s", "high", Map.of("request", 7));
			Callable<String> call = rebound.wrap(() -> {
				throw new ConnectException("Connection refused to db:5432");
			});
			assertThatExceptionOfType(ConnectException.class).isThrownBy(call::call);
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				JsonNode agent = operator().get("/api/agents/" + id).json().get("agent");
				assertThat(agent.get("state").asString()).isEqualTo("healthy");
				assertThat(agent.get("kind").asString()).isEqualTo("planner");
				assertThat(agent.get("version").asString()).isEqualTo("1.4.2");
			});
			Map<String, JsonNode> errors = await().atMost(Duration.ofSeconds(20))
				.until(() -> AgentViews.errorsBy(operator(), id), (e) -> e.size() == 2);
			assertThat(errors.get("timeout").get("severity").asString()).isEqualTo("high");
			JsonNode wrapped = errors.get("ConnectException");
			assertThat(wrapped.get("severity").asString()).isEqualTo("high");
			JsonNode event = AgentViews.firstEvent(operator(), wrapped);
			assertThat(event.get("message").asString()).isEqualTo("Connection refused to db:5432");
			assertThat(event.get("context").get("traceback").asString()).contains("java.net.ConnectException");
		}
		AgentViews.stoppedNeverFailed(operator(), id);
	}

	@Test
	void anAgentReadsWhichFeaturesAreOffAndHearsThemGoOffAndComeBack() {
		// the test settings' feature map: reports needs java-index-it
		operator().post("/api/agents", Http.json(Map.of("id", "java-index-it", "kind", "index")));
		operator().post("/api/agents/java-index-it/heartbeat", "{}");
		java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (ReboundClient rebound = client("java-reporter").control(false)
			.degradationInterval(Duration.ofMillis(200))
			.build()) {
			rebound.onFeatureChange((feature, enabled, why) -> heard.add(feature + " " + enabled + " " + why));
			// Rebound's judgement is up to an interval old: it may not have seen the
			// registration yet
			await().atMost(Duration.ofSeconds(20))
				.until(() -> rebound.degradationLevel() != null && rebound.isEnabled("reports"));
			assertThat(rebound.isEnabled("no-such-feature")).isTrue();
			heard.clear();

			operator().post("/api/agents/java-index-it/heartbeat", "{\"status\": \"stopping\"}");
			await().atMost(Duration.ofSeconds(20)).until(() -> !rebound.isEnabled("reports"));
			operator().post("/api/agents/java-index-it/heartbeat", "{}");
			await().atMost(Duration.ofSeconds(20)).until(() -> rebound.isEnabled("reports"));

			assertThat(heard.stream().filter((h) -> h.startsWith("reports ")))
				.containsExactly("reports false [java-index-it is stopped]", "reports true []");
		}
	}

	@Test
	void theLadderDispatchesASignedRestartToTheHandlerAndVerifiesTheRecovery() throws Exception {
		String id = "java-gpu-worker";
		AtomicBoolean broken = new AtomicBoolean(true);
		try (ReboundClient rebound = client(id).kind("gpu-worker").advertiseHealth(false).build()) {
			rebound.on("restart", (call) -> {
				broken.set(false);
				return ControlAnswer.done();
			});
			Http.Response unsigned = new Http(0, null).postTo(
					await().atMost(Duration.ofSeconds(10)).until(rebound::controlUrl, (u) -> u != null) + "/restart",
					"{}");
			assertThat(unsigned.status()).isEqualTo(401);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> operator().get("/api/agents/" + id).json().path("agent").path("state").asString(""),
						"healthy"::equals);
			Checkpoints.Saved saved = rebound.saveCheckpoint("batch", Map.of("done", List.of(1, 2)))
				.get(10, java.util.concurrent.TimeUnit.SECONDS);
			for (int i = 0; i < 3; i++) {
				rebound.report("gpu_fault", "GPU fell off the bus: xid 79", "critical", Map.of("job", i));
			}
			JsonNode run = await().atMost(Duration.ofSeconds(60))
				.until(() -> Runs.newest(operator(), id),
						(r) -> r != null && "succeeded".equals(r.get("run").get("status").asString()));
			assertThat(broken).as("the handler ran").isFalse();
			assertThat(Runs.levels(run)).containsExactly("3:restart:succeeded");
			assertThat(rebound.controlCalls()).singleElement().satisfies((call) -> {
				assertThat(call.verb()).isEqualTo("restart");
				assertThat(call.level()).isEqualTo(3);
				assertThat(call.attemptId()).isEqualTo(run.get("attempts").get(0).get("id").asString());
				assertThat(call.runId()).isEqualTo(run.get("run").get("id").asString());
				assertThat(call.deadline()).isNotBlank();
				assertThat(call.checkpoints()).singleElement().satisfies((checkpoint) -> {
					assertThat(checkpoint).containsEntry("task", "batch").containsEntry("sha256", saved.sha256());
					assertThat(((Number) checkpoint.get("version")).intValue()).isEqualTo(1);
				});
			});
		}
	}

	@Test
	void checkpointsAreSavedInTheBackgroundReadBackWithTheirHashCheckedAndDroppedWhenTheTaskSucceeds()
			throws Exception {
		String id = "java-checkpoints";
		try (ReboundClient rebound = client(id).control(false).build()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> operator().get("/api/agents/" + id).status() == 200);
			Map<String, Object> state = new java.util.HashMap<>(Map.of("done", List.of("fetch"), "rows", 1200));
			java.util.concurrent.CompletableFuture<Checkpoints.Saved> first = rebound.saveCheckpoint("etl", state);
			state.put("done", List.of("changed after saving"));
			rebound.saveCheckpoint("etl", Map.of("done", List.of("fetch", "clean")))
				.get(10, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();

			Checkpoints.Checkpoint newest = rebound.loadCheckpoint("etl").orElseThrow();
			assertThat(newest.state()).containsEntry("done", List.of("fetch", "clean"));
			assertThat(newest.version()).isIn(1, 2);
			assertThat(operator().get("/api/agents/" + id + "/checkpoints/etl?version=1").body())
				.as("the state as it was when saved")
				.contains("\"fetch\"")
				.doesNotContain("changed after saving");

			this.jdbc.update("UPDATE agent_checkpoints SET body = ?, sha256 = ? WHERE agent_id = ? AND task = 'etl'",
					"{\"done\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "0".repeat(64), id);
			assertThatExceptionOfType(IllegalStateException.class).as("Rebound refuses a corrupt version")
				.isThrownBy(() -> rebound.loadCheckpoint("etl"));

			rebound.completeTask("etl").get(10, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(rebound.loadCheckpoint("etl")).isEmpty();
		}
	}

	@Test
	void theKafkaTransportPublishesToTheSeverityTopics() {
		String id = "java-kafka";
		try (ReboundClient rebound = client(id).transport("kafka").kafkaBootstrap(this.kafka).build()) {
			rebound.report("disk_full", "No space left on /var/lib/model", "critical", null);
			assertThat(rebound.flush(Duration.ofSeconds(20))).isTrue();
		}
		Map<String, JsonNode> errors = await().atMost(Duration.ofSeconds(20))
			.until(() -> AgentViews.errorsBy(operator(), id), (e) -> e.size() == 1);
		assertThat(AgentViews.firstEvent(operator(), errors.get("disk_full")).get("topic").asString())
			.isEqualTo("rebound.errors.critical");
	}

	@Test
	void theBridgesReportBreakerTransitionsAndLoggedErrors() {
		String id = "java-bridges";
		try (ReboundClient rebound = client(id).build()) {
			CircuitBreaker breaker = CircuitBreaker.of("inventory",
					CircuitBreakerConfig.custom()
						.minimumNumberOfCalls(2)
						.slidingWindowSize(2)
						.failureRateThreshold(50)
						.build());
			Resilience4jBridge.watch(rebound, breaker);
			for (int i = 0; i < 2; i++) {
				breaker.onError(0, java.util.concurrent.TimeUnit.MILLISECONDS, new ConnectException("refused"));
			}
			assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

			LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
			ReboundAppender appender = new ReboundAppender();
			appender.setClient(rebound);
			appender.setContext(logging);
			appender.start();
			ch.qos.logback.classic.Logger logger = logging.getLogger("java-bridges.app");
			logger.addAppender(appender);
			logger.error("order 7 could not be priced", new IllegalStateException("no price list"));
			logger.error("an error without a throwable is left to the logs");
			logger.detachAppender(appender);
			assertThat(rebound.flush(Duration.ofSeconds(20))).isTrue();
		}
		Map<String, JsonNode> errors = await().atMost(Duration.ofSeconds(20))
			.until(() -> AgentViews.errorsBy(operator(), id), (e) -> e.size() == 2);
		assertThat(errors.get("circuit_open").get("message").asString())
			.isEqualTo("circuit breaker 'inventory': closed -> open");
		assertThat(errors.get("circuit_open").get("severity").asString()).isEqualTo("high");
		JsonNode logged = AgentViews.firstEvent(operator(), errors.get("IllegalStateException"));
		assertThat(logged.get("message").asString()).isEqualTo("order 7 could not be priced");
		assertThat(logged.get("context").get("traceback").asString()).contains("no price list");
	}

}
