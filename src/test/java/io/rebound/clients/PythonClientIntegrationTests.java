package io.rebound.clients;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import io.rebound.recovery.Runs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The Python client ({@code clients/python}) against a live Rebound: its own unit tests,
 * the seeds' agent rewritten with it, its decorators and handlers, and a ladder run that
 * restarts a Python agent's process through its signed control endpoint.
 */
@IntegrationTest
class PythonClientIntegrationTests {

	@Value("${local.server.port}")
	int port;

	@Value("${spring.kafka.bootstrap-servers}")
	String kafka;

	Http operator() {
		return new Http(this.port);
	}

	private static void succeeds(java.util.function.Supplier<Http.Response> call) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Http.Response response = call.get();
			assertThat(response.status()).as(response::body).isBetween(200, 299);
		});
	}

	@Test
	void theSeedsAgentRegistersTurnsHealthyReportsWithTheSeedsPayloadAndStopsWithoutFailing() throws Exception {
		String id = "request-coordinator";
		AgentKeys keys = AgentKeys.issue(operator(), id);
		try (PythonAgent agent = PythonAgent.start("seeds-agent", keys.env(this.port, id), "examples/agent.py")) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode details = operator().get("/api/agents/" + id).json();
				assertThat(details.path("agent").path("state").asString()).as(agent::output).isEqualTo("healthy");
				assertThat(details.get("agent").get("kind").asString()).isEqualTo("coordinator");
				assertThat(details.get("agent").get("registered_by").asString()).isEqualTo("api");
				assertThat(details.get("agent").get("control_url").asString()).startsWith("http://127.0.0.1:");
			});
			Map<String, JsonNode> errors = await().atMost(Duration.ofSeconds(30))
				.until(() -> AgentViews.errorsBy(operator(), id), (e) -> e.keySet().size() == 3);
			assertThat(errors.get("invalid_request").get("severity").asString()).isEqualTo("low");
			assertThat(errors.get("unsupported_request_type").get("message").asString())
				.isEqualTo("Unsupported request type: video");
			JsonNode connection = errors.get("ConnectionError");
			assertThat(connection.get("severity").asString()).isEqualTo("high");
			JsonNode event = AgentViews.firstEvent(operator(), connection);
			assertThat(event.get("message").asString()).isEqualTo("Connection refused to model-orchestrator:7000");
			assertThat(event.get("context").get("function").asString()).isEqualTo("process_request");
			assertThat(event.get("context").get("args").asString()).isEqualTo("({'type': 'remote'},)");
			assertThat(event.get("context").get("traceback").asString()).contains("Traceback", "ConnectionError");
			assertThat(event.get("timestamp").asString()).isNotBlank();

			assertThat(agent.stop()).as(agent::output).isZero();
			AgentViews.stoppedNeverFailed(operator(), id);
		}
	}

	@Test
	void aPythonAgentSwitchesAFeatureToItsFallbackWhileTheAgentItNeedsIsDownAndBackAfter() throws Exception {
		// the test settings' feature map: search needs py-index-it
		String id = "py-storefront";
		AgentKeys keys = AgentKeys.issue(operator(), id);
		// the operator's key is shared with the tests running alongside: a call refused
		// with 429 is made again, so the test starts from what it set up
		succeeds(() -> operator().post("/api/agents", Http.json(Map.of("id", "py-index-it", "kind", "index"))));
		succeeds(() -> operator().post("/api/agents/py-index-it/heartbeat", "{}"));
		try (PythonAgent agent = PythonAgent.start("storefront", keys.env(this.port, id), "tests/live/storefront.py")) {
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(agent.output()).contains("serving with search"));

			succeeds(() -> operator().post("/api/agents/py-index-it/heartbeat", "{\"status\": \"stopping\"}"));
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(agent.output()).contains("feature search off py-index-it is stopped",
						"serving with browse fallback"));

			succeeds(() -> operator().post("/api/agents/py-index-it/heartbeat", "{}"));
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				String output = agent.output();
				assertThat(output).contains("feature search on");
				assertThat(output.lastIndexOf("serving with search"))
					.isGreaterThan(output.indexOf("serving with browse fallback"));
			});
			assertThat(agent.stop()).as(agent::output).isZero();
		}
	}

	@Test
	void handleErrorsReportsInBothBehavioursAndTheLoggingHandlerReportsTracebacks() throws Exception {
		String id = "py-handled";
		AgentKeys keys = AgentKeys.issue(operator(), id);
		try (PythonAgent agent = PythonAgent.start("handled", keys.env(this.port, id), "tests/live/handled.py")) {
			assertThat(agent.waitFor(Duration.ofSeconds(60))).as(agent::output).isZero();
		}
		Map<String, JsonNode> errors = await().atMost(Duration.ofSeconds(20))
			.until(() -> AgentViews.errorsBy(operator(), id), (e) -> e.keySet().size() == 3);
		assertThat(errors.get("ConnectionError").get("severity").asString()).isEqualTo("high");
		assertThat(errors.get("ValueError").get("message").asString()).isEqualTo("cannot parse 'x?'");
		assertThat(errors.get("ValueError").get("severity").asString()).isEqualTo("medium");
		JsonNode logged = errors.get("KeyError");
		assertThat(logged.get("message").asString()).isEqualTo("model lookup failed");
		JsonNode event = AgentViews.firstEvent(operator(), logged);
		assertThat(event.get("context").get("traceback").asString()).contains("KeyError: 'model'");
		assertThat(event.get("context").get("logger").asString()).isEqualTo("app");
	}

	@Test
	void theKafkaTransportPublishesToTheSeverityTopicsWithTheAgentAsKey() throws Exception {
		assumeTrue(PythonAgent.has("confluent_kafka"), "the Kafka transport needs confluent-kafka for "
				+ PythonAgent.interpreter() + " (Debian: python3-confluent-kafka; .ci/run installs it)");
		String id = "py-kafka";
		Map<String, String> env = new HashMap<>(AgentKeys.issue(operator(), id).env(this.port, id));
		env.put("REBOUND_TRANSPORT", "kafka");
		env.put("REBOUND_KAFKA_BOOTSTRAP", this.kafka);
		try (PythonAgent agent = PythonAgent.start("kafka", env, "tests/live/handled.py")) {
			assertThat(agent.waitFor(Duration.ofSeconds(60))).as(agent::output).isZero();
		}
		Map<String, JsonNode> errors = await().atMost(Duration.ofSeconds(20))
			.until(() -> AgentViews.errorsBy(operator(), id), (e) -> e.keySet().size() == 3);
		JsonNode event = AgentViews.firstEvent(operator(), errors.get("ConnectionError"));
		assertThat(event.get("topic").asString()).isEqualTo("rebound.errors.high");
		assertThat(operator().get("/api/agents/" + id).json().get("agent").get("registered_by").asString())
			.as("registration still goes over REST")
			.isEqualTo("api");
	}

	@Test
	void theLadderRestartsAPythonAgentsProcessThroughItsSignedControlEndpointAndVerifiesIt() throws Exception {
		String id = "py-gpu-worker";
		AgentKeys keys = AgentKeys.issue(operator(), id);
		Map<String, String> env = new HashMap<>(keys.env(this.port, id));
		env.put("REBOUND_CONTROL_PORT", Integer.toString(freePort()));
		try (PythonAgent agent = PythonAgent.start("broken-agent", env, "tests/live/broken_agent.py", "--broken")) {
			String control = await().atMost(Duration.ofSeconds(20))
				.until(() -> operator().get("/api/agents/" + id).json().path("agent").path("control_url").asString(""),
						(url) -> !url.isEmpty());
			Http.Response unsigned = new Http(0, null).postTo(control + "/restart", "{}");
			assertThat(unsigned.status()).as("a call without Rebound's signature").isEqualTo(401);

			JsonNode run = succeeded(id, agent);
			assertThat(Runs.levels(run)).as(agent::output).containsExactly("3:restart:succeeded");
			assertThat(agent.output()).contains("restart asked:", "generation 1 broken False");
			assertThat(run.get("attempts").get(0).get("evidence").toString()).doesNotContain("unsigned");
		}
	}

	@Test
	void aPythonAgentWithAHighErrorRateIsCircuitBrokenAndVerifiedOnceItsBreakerClosedAgain() throws Exception {
		String id = "py-checkout";
		AgentKeys keys = AgentKeys.issue(operator(), id);
		Map<String, String> env = new HashMap<>(keys.env(this.port, id));
		env.put("REBOUND_CONTROL_PORT", Integer.toString(freePort()));
		try (PythonAgent agent = PythonAgent.start("breaker", env, "tests/live/breaker.py")) {
			JsonNode run = succeeded(id, agent);

			assertThat(Runs.levels(run)).as(agent::output).containsExactly("2:circuit-break:succeeded");
			assertThat(run.get("run").get("recommended_why").asString()).startsWith("symptom: error rate");
			assertThat(run.get("attempts").get(0).get("evidence").get("breakers").toString())
				.isEqualTo("{\"inventory\":\"closed\"}");
			assertThat(agent.output()).as("open, canaries half-open, closed")
				.contains("breaker open", "breaker half_open", "breaker closed");
			assertThat(agent.output().indexOf("breaker half_open"))
				.isLessThan(agent.output().lastIndexOf("breaker closed"));
		}
	}

	@Test
	void aPythonAgentRestartedByTheLadderResumesItsTaskFromItsCheckpointWithoutRedoingAStep() throws Exception {
		String id = "py-pipeline";
		AgentKeys keys = AgentKeys.issue(operator(), id);
		Map<String, String> env = new HashMap<>(keys.env(this.port, id));
		env.put("REBOUND_CONTROL_PORT", Integer.toString(freePort()));
		java.nio.file.Path steps = java.nio.file.Files.createTempFile("pipeline-steps", ".txt");
		env.put("STEPS_FILE", steps.toString());
		try (PythonAgent agent = PythonAgent.start("checkpointed", env, "tests/live/checkpointed.py", "--broken")) {
			JsonNode run = succeeded(id, agent);
			assertThat(Runs.levels(run)).as(agent::output).containsExactly("3:restart:succeeded");
			await().atMost(Duration.ofSeconds(20)).until(() -> agent.output().contains("finished"));

			assertThat(agent.output()).contains("restart asked with checkpoints [('pipeline', 3)]",
					"generation 1 resumes after ['fetch', 'clean', 'train']");
			assertThat(java.nio.file.Files.readAllLines(steps)).as("each step once: nothing done twice")
				.containsExactly("fetch", "clean", "train", "evaluate", "publish");
			assertThat(operator().get("/api/agents/" + id + "/checkpoints").json())
				.as("the task succeeded: its checkpoints are gone")
				.isEmpty();
		}
		finally {
			java.nio.file.Files.deleteIfExists(steps);
		}
	}

	static int freePort() throws java.io.IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * The agent's run once it succeeded; a run handed to a person, or none within a
	 * minute, fails the test with what the agent said.
	 */
	private JsonNode succeeded(String id, PythonAgent agent) {
		return await().atMost(Duration.ofSeconds(60))
			.conditionEvaluationListener(new TellOnTimeout(agent))
			.until(() -> Runs.newest(operator(), id), (r) -> {
				assertThat(r == null || !"waiting_person".equals(r.get("run").get("status").asString()))
					.as(() -> "handed to a person: " + r + "\nthe agent said:\n" + agent.output())
					.isTrue();
				return r != null && "succeeded".equals(r.get("run").get("status").asString());
			});
	}

	/** On a timeout, prints what the agent said, so the failure can be read. */
	record TellOnTimeout(PythonAgent agent) implements org.awaitility.core.ConditionEvaluationListener<Object> {

		@Override
		public void conditionEvaluated(org.awaitility.core.EvaluatedCondition<Object> condition) {
		}

		@Override
		public void onTimeout(org.awaitility.core.TimeoutEvent event) {
			System.out.println("the agent said:\n" + this.agent.output());
		}

	}

}
