package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ladder's choices against real HTTP agents: it learns which strategy of a level
 * works for a kind of error, counts relapses, follows a tier's policy (levels allowed,
 * attempts per level, level 5 waiting for approval), and holds a symptom's run while its
 * dependency is recovered.
 */
@IntegrationTest
class RecoveryChoiceIntegrationTests {

	@LocalServerPort
	int port;

	Http http;

	String suffix;

	@org.springframework.beans.factory.annotation.Autowired
	RecoveryRecords records;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		this.suffix = UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void theSecondFaultOfAKindGoesStraightToTheStrategyThatWorkedTheFirstTime() throws Exception {
		Map<String, Object> registration = Map.of("kind", "learner-" + this.suffix, "policy", "twice");
		try (FakeAgent first = new FakeAgent("learn-a-" + this.suffix, "retry-extended", this.http, registration);
				FakeAgent second = new FakeAgent("learn-b-" + this.suffix, "retry-extended", this.http, registration)) {
			JsonNode one = awaitEnd(fail(first), "succeeded");
			assertThat(Runs.levels(one)).containsExactly("1:retry:failed", "1:retry:failed", "2:reload:failed",
					"2:retry-extended:succeeded");

			JsonNode two = awaitEnd(fail(second), "succeeded");

			assertThat(Runs.levels(two)).containsExactly("1:retry:failed", "1:retry:failed",
					"2:retry-extended:succeeded");
			assertThat(second.calls).doesNotContain("reload");
			JsonNode ranking = two.get("attempts").get(2).get("choice").get("ranking");
			assertThat(ranking.get(0).get("strategy").asString()).isEqualTo("retry-extended");
			assertThat(ranking.get(0).get("attempts").asInt()).isEqualTo(1);
			assertThat(ranking.get(1).get("strategy").asString()).isEqualTo("reload");
			assertThat(ranking.get(0).get("score").asDouble()).isGreaterThan(ranking.get(1).get("score").asDouble());
			JsonNode record = record("learner-" + this.suffix, "retry-extended");
			assertThat(record.get("attempts").asInt()).isEqualTo(2);
			assertThat(record.get("successes").asInt()).isEqualTo(2);
		}
	}

	@Test
	void aStrategyTheRuleRecommendsIsWhereTheRunStarts() throws Exception {
		try (FakeAgent agent = new FakeAgent("stale-" + this.suffix, "retry-extended", this.http)) {
			this.http.post("/api/errors", Http.json(Map.of("source", agent.id, "type", "cache", "severity", "high",
					"message", "stale cache generation " + UUID.randomUUID())));
			JsonNode run = await().atMost(Duration.ofSeconds(15))
				.until(() -> Runs.newest(this.http, agent.id), (r) -> r != null);
			assertThat(run.get("run").get("recommended").asString()).isEqualTo("retry-extended");
			assertThat(run.get("run").get("level").asInt()).isEqualTo(2);

			JsonNode done = awaitEnd(run, "succeeded");

			assertThat(Runs.levels(done)).containsExactly("2:retry-extended:succeeded");
			assertThat(done.get("attempts").get(0).get("choice").get("recommended_by_rule").asString())
				.isEqualTo("retry-extended");
			assertThat(agent.calls).containsExactly("retry-extended");
		}
	}

	@Test
	void whereRetryingHasNotHelpedATransientFaultIsWatchedWithoutAnAction() throws Exception {
		String kind = "blip-" + this.suffix;
		for (int i = 0; i < 3; i++) {
			this.records.judged("it_blip|network|" + kind, "retry", 1, false, 0, 0, 1);
		}
		try (FakeAgent agent = new FakeAgent("blip-" + this.suffix, "never", this.http, Map.of("kind", kind))) {
			this.http.post("/api/errors", Http.json(Map.of("source", agent.id, "type", "link", "severity", "high",
					"message", "link blip on port " + UUID.randomUUID())));
			JsonNode run = await().atMost(Duration.ofSeconds(15))
				.until(() -> Runs.newest(this.http, agent.id), (r) -> r != null);
			// the fault passes on its own
			agent.cure();

			JsonNode done = awaitEnd(run, "succeeded");

			assertThat(Runs.levels(done)).containsExactly("1:wait-and-watch:succeeded");
			assertThat(done.get("attempts").get(0).get("executor").asString()).isEqualTo("none");
			assertThat(agent.calls).as("nothing was asked of it").isEmpty();
		}
	}

	@Test
	void aFlappingAgentCountsARelapseAgainstTheStrategyThatDidNotHold() throws Exception {
		try (FakeAgent agent = new FakeAgent("flap-" + this.suffix, "retry", this.http)) {
			awaitEnd(fail(agent), "succeeded");
			agent.breakAgain();

			JsonNode again = awaitEnd(fail(agent), "succeeded");

			assertThat(Runs.levels(again)).containsExactly("1:retry:succeeded");
			JsonNode record = record("worker-" + agent.id, "retry");
			assertThat(record.get("successes").asInt()).isEqualTo(2);
			assertThat(record.get("relapses").asInt()).isEqualTo(1);
			assertThat(record.get("score_parts").get("stability").asDouble()).isLessThan(0.75);
		}
	}

	@Test
	void levelFiveWaitsForApprovalUnderAGatedPolicyAndThenRestartsTheGroup() throws Exception {
		String group = "g-" + this.suffix;
		Map<String, Object> registration = Map.of("kind", "gated-" + this.suffix, "policy", "gated", "labels",
				Map.of("group", group));
		try (FakeAgent agent = new FakeAgent("gated-a-" + this.suffix, "restart", this.http, registration);
				FakeAgent peer = new FakeAgent("gated-b-" + this.suffix, "restart", this.http, registration)) {
			JsonNode waiting = awaitEnd(fail(agent), "waiting_approval");
			assertThat(Runs.levels(waiting)).containsExactly("1:retry:failed");
			assertThat(waiting.get("run").get("level").asInt()).as("levels 2 to 4 are not allowed").isEqualTo(5);
			assertThat(waiting.get("run").get("reason").asString()).contains("approval", "/approve");
			assertThat(agent.calls).containsExactly("retry");
			assertThat(this.http.get("/api/recovery/metrics").json().get("overall").get("waiting_approval").asLong())
				.as("runs waiting for approval are counted")
				.isPositive();
			String id = waiting.get("run").get("id").asString();

			Http.Response approved = this.http.post("/api/recovery/runs/" + id + "/approve",
					Http.json(Map.of("by", "alice", "note", "go")));

			assertThat(approved.status()).isEqualTo(200);
			JsonNode done = awaitEnd(waiting, "succeeded");
			assertThat(Runs.levels(done)).containsExactly("1:retry:failed", "5:restart-group:succeeded");
			assertThat(done.get("run").get("approved_by").asString()).isEqualTo("alice");
			assertThat(agent.calls).containsExactly("retry", "restart");
			assertThat(peer.calls).containsExactly("restart");
			assertThat(this.http.get("/api/audit?action=recovery.approve").json().toString()).contains(id);

			Http.Response again = this.http.post("/api/recovery/runs/" + id + "/approve", "{}");
			assertThat(again.status()).isEqualTo(409);
			assertThat(again.json().get("type").asString()).isEqualTo("urn:rebound:problem:not-awaiting-approval");
		}
	}

	@Test
	void aSymptomsRunIsHeldWhileItsDependencyIsRecoveredAndEndsWithIt() throws Exception {
		try (FakeAgent root = new FakeAgent("inh-db-" + this.suffix, "restart", this.http);
				FakeAgent symptom = new FakeAgent("inh-app-" + this.suffix, "never", this.http,
						Map.of("kind", "app-" + this.suffix, "depends_on", List.of("inh-db-" + this.suffix)))) {
			JsonNode rootRun = fail(root);
			this.http.post("/api/errors", Http.json(Map.of("source", symptom.id, "type", "timeout", "severity", "high",
					"message", "request to the database timed out " + UUID.randomUUID())));
			String error = await().atMost(Duration.ofSeconds(10))
				.until(() -> this.http.get("/api/errors?source=" + symptom.id).json().get("items"),
						(items) -> !items.isEmpty())
				.get(0)
				.get("id")
				.asString();
			// the symptom has its own incident: split out of the root's, or its own
			String incident = await().atMost(Duration.ofSeconds(10))
				.until(() -> ownIncident(symptom, error, rootRun), (i) -> i != null);
			JsonNode symptomRun = await().atMost(Duration.ofSeconds(10))
				.until(() -> this.http.get("/api/recovery/runs?incident_id=" + incident), (r) -> r.status() == 200)
				.json();

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(run(symptomRun).get("run").get("reason").asString())
					.startsWith("inhibited: " + symptom.id + " depends on " + root.id));
			// the root recovers by a restart; its symptom with it
			await().atMost(Duration.ofSeconds(20)).until(() -> root.calls("restart") == 1);
			symptom.cure();
			awaitEnd(rootRun, "succeeded");

			JsonNode done = awaitEnd(symptomRun, "succeeded");

			assertThat(done.get("run").get("reason").asString()).startsWith("recovered with its dependency");
			assertThat(done.get("attempts")).isEmpty();
			assertThat(symptom.calls).as("no action of its own").isEmpty();
			assertThat(this.http.get("/api/incidents/" + incident).json().get("status").asString())
				.isEqualTo("resolved");
		}
	}

	private String ownIncident(FakeAgent symptom, String error, JsonNode rootRun) {
		JsonNode own = this.http.get("/api/incidents?root_agent=" + symptom.id).json().get("items");
		if (!own.isEmpty()) {
			return own.get(0).get("id").asString();
		}
		String rootIncident = rootRun.get("run").get("incident_id").asString();
		if (this.http.get("/api/incidents/" + rootIncident).json().toString().contains(error)) {
			Http.Response split = this.http.post("/api/incidents/" + rootIncident + "/split",
					Http.json(Map.of("error_ids", List.of(error), "by", "test")));
			return (split.status() == 201) ? split.json().get("id").asString() : null;
		}
		return null;
	}

	private JsonNode record(String kind, String strategy) {
		return this.http.get("/api/recovery/metrics")
			.json()
			.get("records")
			.valueStream()
			.filter((r) -> r.get("error_kind").asString().endsWith("|" + kind)
					&& r.get("strategy").asString().equals(strategy))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * The agent reports one critical error; answers its newest recovery run once it
	 * exists.
	 */
	private JsonNode fail(FakeAgent agent) {
		List<String> before = this.http.get("/api/incidents?root_agent=" + agent.id)
			.json()
			.get("items")
			.valueStream()
			.map((i) -> i.get("id").asString())
			.toList();
		this.http.post("/api/errors", Http.json(Map.of("source", agent.id, "type", "stall", "severity", "critical",
				"message", "engine stalled on job " + UUID.randomUUID())));
		return await().atMost(Duration.ofSeconds(15)).until(() -> {
			JsonNode incidents = this.http.get("/api/incidents?root_agent=" + agent.id).json().get("items");
			if (incidents.isEmpty() || before.contains(incidents.get(0).get("id").asString())) {
				return null;
			}
			Http.Response run = this.http
				.get("/api/recovery/runs?incident_id=" + incidents.get(0).get("id").asString());
			return (run.status() == 200) ? run.json() : null;
		}, (r) -> r != null);
	}

	private JsonNode awaitEnd(JsonNode run, String status) {
		await().atMost(Duration.ofSeconds(40))
			.untilAsserted(() -> assertThat(run(run).get("run").get("status").asString()).isEqualTo(status));
		return run(run);
	}

	private JsonNode run(JsonNode run) {
		return this.http.get("/api/recovery/runs/" + run.get("run").get("id").asString()).json();
	}

}
