package io.rebound.recovery;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.TestWebhook;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ladder against real HTTP agents that fail in scripted ways, with the test timings
 * (stabilization 1 s, cooldown 300 ms doubling): the exact levels climbed, success only
 * when verified, and a person when nothing Rebound can do works. Its tests mostly wait,
 * so they run side by side, each with an agent of its own; the one that pauses recovery
 * runs alone.
 */
@IntegrationTest
class LadderIntegrationTests {

	@LocalServerPort
	int port;

	Http http;

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.jdbc.core.JdbcTemplate jdbc;

	String id;

	@org.springframework.beans.factory.annotation.Autowired
	io.fabric8.kubernetes.client.KubernetesClient kubernetes;

	@org.springframework.beans.factory.annotation.Autowired
	io.rebound.agents.AgentGraph agents;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		this.id = "ladder-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void aFaultCuredByARetryIsRecoveredAtLevelOneAndTheIncidentResolved() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "retry", this.http)) {
			JsonNode run = fail(agent);

			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("succeeded"));
			JsonNode done = run(run);
			assertThat(Runs.levels(done)).containsExactly("1:retry:succeeded");
			assertThat(agent.calls).containsExactly("retry");
			JsonNode evidence = done.get("attempts").get(0).get("evidence");
			assertThat(evidence.get("health").asString()).isEqualTo("healthy");
			assertThat(evidence.get("errors_quiet").asBoolean()).isTrue();
			assertThat(incident(run).get("status").asString()).isEqualTo("resolved");
		}
	}

	@Test
	void aFaultCuredOnlyByARestartClimbsRetryReloadRestart() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "restart", this.http)) {
			JsonNode run = fail(agent);

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("succeeded"));
			assertThat(Runs.levels(run(run))).containsExactly("1:retry:failed", "2:reload:failed",
					"3:restart:succeeded");
			assertThat(agent.calls).containsExactly("retry", "reload", "restart");
		}
	}

	@Test
	void aRestartedAgentThatIsSlowToComeBackIsWaitedForNotTakenForDeadNorForRecovered() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "restart", this.http)) {
			agent.silentAfter("restart", Duration.ofSeconds(5));
			JsonNode run = fail(agent);

			await().atMost(Duration.ofSeconds(20)).until(() -> agent.calls.contains("restart"));
			long restarted = System.currentTimeMillis();
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode now = run(run);
				assertThat(now.get("run").get("status").asString()).as(now::toString).isEqualTo("succeeded");
			});
			assertThat(System.currentTimeMillis() - restarted).as("verified only after it was back")
				.isGreaterThanOrEqualTo(5000);
			JsonNode done = run(run);
			assertThat(Runs.levels(done)).containsExactly("1:retry:failed", "2:reload:failed", "3:restart:succeeded");
			JsonNode evidence = done.get("attempts").get(2).get("evidence");
			assertThat(evidence.get("heard_from_since").asBoolean()).isTrue();
			assertThat(evidence.has("silent_at") && evidence.has("back_at")).as(evidence::toString).isTrue();
			assertThat(this.http.get("/api/errors?type=heartbeat_timeout&source=" + agent.id).json().get("items"))
				.as("its silence while it restarted was not taken for a failure")
				.isEmpty();
			assertThat(this.http.get("/api/incidents?root_agent=" + agent.id).json().get("items")).hasSize(1);
		}
	}

	@Test
	void aRestartHandsTheAgentItsTasksNewestCheckpoints() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "restart", this.http)) {
			String step = "{\"done\":[\"fetch\",\"parse\"],\"next\":\"train\"}";
			assertThat(
					this.http.put("/api/agents/" + agent.id + "/checkpoints/nightly-train", "{\"done\":[]}").status())
				.isEqualTo(201);
			Http.Response saved = this.http.put("/api/agents/" + agent.id + "/checkpoints/nightly-train", step);
			assertThat(saved.status()).isEqualTo(201);
			JsonNode run = fail(agent);

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("succeeded"));
			assertThat(agent.calls).containsExactly("retry", "reload", "restart");
			JsonNode restart = tools.jackson.databind.json.JsonMapper.builder().build().readTree(agent.bodies.get(2));
			JsonNode checkpoint = restart.get("checkpoints").get(0);
			assertThat(checkpoint.get("task").asString()).isEqualTo("nightly-train");
			assertThat(checkpoint.get("version").asInt()).isEqualTo(2);
			assertThat(checkpoint.get("sha256").asString()).isEqualTo(saved.json().get("sha256").asString());
			// what the agent reads there is what it saved
			Http.Response read = this.http.get(checkpoint.get("url").asString());
			assertThat(read.body()).isEqualTo(step);
			assertThat(tools.jackson.databind.json.JsonMapper.builder()
				.build()
				.readTree(agent.bodies.get(0))
				.has("checkpoints")).as("only a restart carries them").isFalse();
		}
	}

	@Test
	void aConfigurationErrorStartsWithAReloadAndIsCuredByIt() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "reload", this.http)) {
			JsonNode run = failWith(agent, "failed to parse config file /etc/agent/settings.yaml: invalid syntax");

			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("succeeded"));
			assertThat(Runs.levels(run(run))).as("the built-in rule recommends reload; nothing is asked of a person")
				.containsExactly("2:reload:succeeded");
			assertThat(agent.calls).containsExactly("reload");
		}
	}

	@Test
	void anAgentWhoseClockIsTenMinutesBehindIsNotTakenForRecoveredWhileItKeepsFailing() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "restart", this.http)) {
			agent.healthyWhileBroken();
			agent.reportsWhileBroken(this.http, Duration.ofMinutes(-10));
			JsonNode run = fail(agent);

			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("succeeded"));
			assertThat(Runs.levels(run(run))).as("its errors kept arriving after each action, whatever they said")
				.containsExactly("1:retry:failed", "2:reload:failed", "3:restart:succeeded");
			JsonNode retry = run(run).get("attempts").get(0).get("evidence");
			assertThat(retry.get("health").asString()).isEqualTo("healthy");
			assertThat(retry.get("errors_quiet").asBoolean()).isFalse();
		}
	}

	@Test
	void aRunThatWaitsForAPersonFromTheStartIsCountedAndTold() throws Exception {
		double before = personCount();
		try (FakeAgent agent = new FakeAgent(this.id, "restart", this.http)) {
			JsonNode run = failWith(agent, "login to the model registry failed: 401 Unauthorized (invalid token)");

			assertThat(run.get("run").get("status").asString()).isEqualTo("waiting_person");
			String id = run.get("run").get("id").asString();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(TestWebhook.received())
					.anySatisfy((body) -> assertThat(body).contains(id, "waiting_person", agent.id)));
			assertThat(TestWebhook.received()).as("told once").filteredOn((body) -> body.contains(id)).hasSize(1);
			// the counter is the whole context's: other tests' runs may reach a person
			// meanwhile
			assertThat(personCount()).as("rebound_recovery_escalations_person_total")
				.isGreaterThanOrEqualTo(before + 1);
			assertThat(agent.calls).as("a security fault is never acted on").isEmpty();
		}
	}

	private double personCount() {
		return this.http.get("/actuator/metrics/rebound.recovery.escalations.person")
			.json()
			.get("measurements")
			.get(0)
			.get("value")
			.asDouble();
	}

	@Test
	void anAgentThatAnswers200ButStaysBrokenIsHandedToAPerson() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "never", this.http)) {
			JsonNode run = fail(agent);

			await().atMost(Duration.ofSeconds(40))
				.untilAsserted(
						() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("waiting_person"));
			assertThat(Runs.levels(run(run))).containsExactly("1:retry:failed", "2:reload:failed", "3:restart:failed",
					"4:scale-up:failed");
			assertThat(agent.calls).containsExactly("retry", "reload", "restart", "scale");
			assertThat(run(run).get("run").get("reason").asString()).contains("a person must act");
			assertThat(incident(run).get("status").asString()).isEqualTo("mitigating");
		}
	}

	@Test
	void aVerbTheAgentRefusesIsNotCountedAgainstTheStrategyNorPlannedForItAgain() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "never", this.http)) {
			agent.refuse("scale");
			JsonNode run = fail(agent);

			await().atMost(Duration.ofSeconds(40))
				.untilAsserted(
						() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("waiting_person"));
			JsonNode done = run(run);
			assertThat(Runs.levels(done)).containsExactly("1:retry:failed", "2:reload:failed", "3:restart:failed",
					"4:scale-up:action_failed");
			assertThat(done.get("attempts").get(3).get("evidence").get("why").asString())
				.contains("'scale' does not apply there (409): not counted against the strategy");
			String kind = this.jdbc.queryForObject("SELECT error_kind FROM recovery_runs WHERE id = ?::uuid",
					String.class, done.get("run").get("id").asString());
			assertThat(this.jdbc.queryForList(
					"SELECT attempts FROM recovery_records WHERE error_kind = ? AND strategy = 'scale-up'",
					Integer.class, kind))
				.as("the refusal is no failure of scaling")
				.allMatch((attempts) -> attempts == 0);
			assertThat(this.jdbc.queryForObject(
					"SELECT attempts FROM recovery_records WHERE error_kind = ? AND strategy = 'restart'",
					Integer.class, kind))
				.as("a restart that did not cure is one")
				.isEqualTo(1);

			JsonNode shown = this.http.get("/api/agents/" + agent.id).json().get("agent");
			assertThat(shown.get("verbs_refused").toString()).isEqualTo("[\"scale\"]");
			assertThat(this.agents.node(agent.id).orElseThrow().handles("scale")).isFalse();
			assertThat(this.agents.node(agent.id).orElseThrow().handles("restart")).isTrue();

			this.http.post("/api/agents", Http.json(Map.of("id", agent.id, "kind", "worker-" + agent.id, "control_url",
					this.agents.node(agent.id).orElseThrow().controlUrl())));
			assertThat(this.http.get("/api/agents/" + agent.id).json().get("agent").get("verbs_refused").toString())
				.as("registering again clears it")
				.isEqualTo("[]");
			assertThat(this.agents.node(agent.id).orElseThrow().handles("scale")).isTrue();
		}
	}

	@Test
	void anAgentPlacedInKubernetesIsRestartedByARolloutRestartOfItsDeployment() throws Exception {
		String name = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
		this.kubernetes.apps()
			.deployments()
			.inNamespace("it")
			.resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata()
				.withName(name)
				.endMetadata()
				.withNewSpec()
				.withReplicas(1)
				.withNewTemplate()
				.withNewMetadata()
				.addToLabels("app", name)
				.endMetadata()
				.endTemplate()
				.endSpec()
				.build())
			.create();
		try (FakeAgent agent = new FakeAgent(name, "never", this.http, Map.of("kind", "pod", "policy", "k8s"))) {
			JsonNode run = fail(agent);
			// the pod comes back healthy once its Deployment was rolled
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.kubernetes.apps()
					.deployments()
					.inNamespace("it")
					.withName(name)
					.get()
					.getSpec()
					.getTemplate()
					.getMetadata()
					.getAnnotations()
					.containsKey("kubectl.kubernetes.io/restartedAt"));
			agent.cure();

			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("succeeded"));
			JsonNode done = run(run);
			assertThat(Runs.levels(done)).containsExactly("1:retry:failed", "2:reload:failed", "3:restart:succeeded");
			assertThat(done.get("attempts").get(2).get("executor").asString()).isEqualTo("kubernetes");
			assertThat(done.get("attempts").get(2).get("evidence").get("calls").get(0).asString())
				.isEqualTo("restart Deployment it/" + name + ": rollout restarted");
			assertThat(agent.calls).as("no HTTP restart: Kubernetes did it").containsExactly("retry", "reload");
		}
	}

	@Test
	void whilePausedNothingIsDone() throws Exception {
		assertThat(this.http.post("/api/recovery/pause", "{}").status()).isEqualTo(200);
		try (FakeAgent agent = new FakeAgent(this.id, "retry", this.http)) {
			JsonNode run = fail(agent);
			await().during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(agent.calls).isEmpty());
			assertThat(run(run).get("attempts")).isEmpty();

			assertThat(this.http.post("/api/recovery/resume", "{}").status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("succeeded"));
		}
		finally {
			this.http.post("/api/recovery/resume", "{}");
		}
	}

	@Test
	void aCrashLoopIsThrottledAfterThreeRestartsInTheWindow() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "restart", this.http)) {
			for (int loop = 1; loop <= 3; loop++) {
				oom(agent);
				int restarts = loop;
				await().atMost(Duration.ofSeconds(20)).until(() -> agent.calls("restart") == restarts);
				await().atMost(Duration.ofSeconds(20))
					.until(() -> this.http.get("/api/incidents?root_agent=" + agent.id + "&status=open")
						.json()
						.get("items")
						.isEmpty()
							&& this.http.get("/api/incidents?root_agent=" + agent.id + "&status=mitigating")
								.json()
								.get("items")
								.isEmpty());
				agent.breakAgain();
			}
			oom(agent);

			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(
						this.http.get("/api/recovery/metrics").json().get("overall").get("throttled").asLong())
					.isPositive());
			await().during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(agent.calls("restart")).as("no fourth restart within the window")
					.isEqualTo(3));
			// the newest incident: the fourth, whose run waits
			JsonNode incidents = this.http.get("/api/incidents?root_agent=" + agent.id).json();
			JsonNode run = this.http
				.get("/api/recovery/runs?incident_id=" + incidents.get("items").get(0).get("id").asString())
				.json();
			assertThat(run.get("run").get("reason").asString()).startsWith("throttled: 3 actions of level 3");

			// an operator's reset puts the agent's intensity counter back to zero
			assertThat(this.http.post("/api/recovery/reset", Http.json(Map.of("agent", agent.id))).status())
				.isEqualTo(200);
			await().atMost(Duration.ofSeconds(20)).until(() -> agent.calls("restart") == 4);
		}
	}

	@Test
	void aResetSendsARunWaitingForAPersonBackToLevelOne() throws Exception {
		try (FakeAgent agent = new FakeAgent(this.id, "never", this.http)) {
			JsonNode run = fail(agent);
			await().atMost(Duration.ofSeconds(40))
				.untilAsserted(
						() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("waiting_person"));
			agent.cureBy("retry");

			Http.Response reset = this.http.post("/api/recovery/reset",
					Http.json(Map.of("incident_id", run.get("run").get("incident_id").asString())));

			assertThat(reset.json().get("runs_reset").asInt()).isEqualTo(1);
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo("succeeded"));
			assertThat(Runs.levels(run(run))).endsWith("1:retry:succeeded");
			assertThat(this.http.get("/api/audit?action=recovery.reset").json().get("items")).isNotEmpty();
			JsonNode metrics = this.http.get("/api/recovery/metrics").json();
			assertThat(metrics.get("by_level_and_strategy").toString()).contains("\"strategy\":\"retry\"");
			assertThat(metrics.get("overall").get("succeeded").asLong()).isPositive();
		}
	}

	@Test
	void resetWithoutSayingWhatIsA400() {
		Http.Response response = this.http.post("/api/recovery/reset", "{}");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("type").asString()).isEqualTo("urn:rebound:problem:invalid-reset");
	}

	private void oom(FakeAgent agent) {
		this.http.post("/api/errors", Http.json(Map.of("source", agent.id, "type", "crash", "severity", "high",
				"message", "java.lang.OutOfMemoryError: Java heap space")));
	}

	/** The agent reports one critical error; answers its recovery run once it exists. */
	private JsonNode fail(FakeAgent agent) {
		return failWith(agent, "engine stalled on job " + UUID.randomUUID());
	}

	private JsonNode failWith(FakeAgent agent, String message) {
		this.http.post("/api/errors",
				Http.json(Map.of("source", agent.id, "type", "stall", "severity", "critical", "message", message)));
		return await().atMost(Duration.ofSeconds(15)).until(() -> {
			JsonNode incidents = this.http.get("/api/incidents?root_agent=" + agent.id).json().get("items");
			if (incidents.isEmpty()) {
				return null;
			}
			Http.Response run = this.http
				.get("/api/recovery/runs?incident_id=" + incidents.get(0).get("id").asString());
			return (run.status() == 200) ? run.json() : null;
		}, (r) -> r != null);
	}

	private JsonNode run(JsonNode run) {
		return this.http.get("/api/recovery/runs/" + run.get("run").get("id").asString()).json();
	}

	private JsonNode incident(JsonNode run) {
		return this.http.get("/api/incidents/" + run.get("run").get("incident_id").asString()).json();
	}

}
