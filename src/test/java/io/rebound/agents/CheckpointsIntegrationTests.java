package io.rebound.agents;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Task checkpoints over real HTTP and PostgreSQL: versions, the exact bytes back with
 * their SHA-256, retention, a corrupted version refused, cleanup, and who may do what.
 */
@IntegrationTest
class CheckpointsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	Http http;

	String agent;

	String base;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		this.agent = "cp-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(this.http.post("/api/agents", Http.json(Map.of("id", this.agent, "kind", "trainer"))).status())
			.isEqualTo(200);
		this.base = "/api/agents/" + this.agent + "/checkpoints/";
	}

	@Test
	void eachSaveIsANewVersionReadBackAsSentWithItsHash() throws Exception {
		String first = "{\"progress\": 0.25, \"done\": [\"fetch\"]}";
		String second = "{\"progress\":0.5,\"done\":[\"fetch\",\"parse\"],\"partial\":{\"rows\":1200}}";
		Http.Response one = this.http.put(this.base + "train", first);
		Http.Response two = this.http.put(this.base + "train", second);

		assertThat(one.status()).isEqualTo(201);
		assertThat(one.json().get("version").asInt()).isEqualTo(1);
		assertThat(two.json().get("version").asInt()).isEqualTo(2);
		assertThat(two.json().get("sha256").asString()).isEqualTo(sha256(second));
		assertThat(two.json().get("size").asInt()).isEqualTo(second.getBytes(StandardCharsets.UTF_8).length);
		assertThat(two.headers().firstValue("Location"))
			.hasValue("/api/agents/" + this.agent + "/checkpoints/train?version=2");

		Http.Response latest = this.http.get(this.base + "train");
		assertThat(latest.status()).isEqualTo(200);
		assertThat(latest.body()).as("the bytes sent, not a re-serialization").isEqualTo(second);
		assertThat(latest.headers().firstValue("X-Rebound-Checkpoint-Version")).hasValue("2");
		assertThat(latest.headers().firstValue("X-Rebound-Checkpoint-Sha256")).hasValue(sha256(second));
		assertThat(latest.headers().firstValue("ETag")).hasValue("\"" + sha256(second) + "\"");
		assertThat(this.http.get(this.base + "train?version=1").body()).isEqualTo(first);

		this.http.put(this.base + "deploy", "{\"step\": 3}");
		JsonNode tasks = this.http.get("/api/agents/" + this.agent + "/checkpoints").json();
		assertThat(tasks).extracting((t) -> t.get("task").asString() + ":" + t.get("version").asInt())
			.containsExactly("deploy:1", "train:2");
		assertThat(this.http.get(this.base + "train/versions").json()).extracting((v) -> v.get("version").asInt())
			.containsExactly(2, 1);

		// the task succeeded: its checkpoints go
		assertThat(this.http.delete(this.base + "train").status()).isEqualTo(204);
		assertThat(this.http.get(this.base + "train").status()).isEqualTo(404);
		assertThat(this.http.delete(this.base + "train").status()).isEqualTo(404);
		assertThat(this.http.get(this.base + "deploy").status()).isEqualTo(200);
	}

	@Test
	void onlyTheNewestVersionsAreKept() {
		for (int i = 1; i <= 7; i++) {
			assertThat(this.http.put(this.base + "loop", "{\"i\":" + i + "}").status()).isEqualTo(201);
		}

		assertThat(this.http.get(this.base + "loop/versions").json()).extracting((v) -> v.get("version").asInt())
			.containsExactly(7, 6, 5, 4, 3);
		assertThat(this.http.get(this.base + "loop?version=2").status()).isEqualTo(404);
		assertThat(this.http.get(this.base + "loop").body()).isEqualTo("{\"i\":7}");
	}

	@Test
	void aVersionWhoseBytesNoLongerMatchItsHashIsRefusedAndTheEarlierOneStillServed() {
		this.http.put(this.base + "job", "{\"step\":1}");
		this.http.put(this.base + "job", "{\"step\":2}");
		// the stored bytes change behind Rebound's back (a disk, a bad restore, a person)
		this.jdbc.update("UPDATE agent_checkpoints SET body = ? WHERE agent_id = ? AND task = 'job' AND version = 2",
				"{\"step\":9}".getBytes(StandardCharsets.UTF_8), this.agent);

		Http.Response corrupt = this.http.get(this.base + "job");
		assertThat(corrupt.status()).isEqualTo(409);
		assertThat(corrupt.contentType()).startsWith("application/problem+json");
		assertThat(corrupt.json().get("type").asString()).isEqualTo("urn:rebound:problem:checkpoint-corrupt");
		assertThat(corrupt.body()).doesNotContain("\"step\":9");
		assertThat(this.http.get(this.base + "job?version=1").body()).isEqualTo("{\"step\":1}");
	}

	@Test
	void badCheckpointsAreClearProblemsAndStoreNothing() {
		for (String body : List.of("[1,2]", "\"text\"", "{\"a\":", "not json", "")) {
			Http.Response answer = this.http.put(this.base + "bad", body);
			assertThat(answer.status()).as(body).isEqualTo(400);
			assertThat(answer.json().get("type").asString()).as(body)
				.isEqualTo("urn:rebound:problem:invalid-checkpoint");
		}
		assertThat(this.http.put(this.base + "no%20spaces", "{}").json().get("type").asString())
			.isEqualTo("urn:rebound:problem:invalid-task");
		assertThat(this.http.put("/api/agents/nobody-" + this.agent + "/checkpoints/x", "{}").status()).isEqualTo(404);
		assertThat(this.http.put(this.base + "huge", "{\"x\":\"" + "x".repeat(1_100_000) + "\"}").status())
			.isEqualTo(413);
		assertThat(this.http.get(this.base + "bad?version=zero").status()).isEqualTo(400);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM agent_checkpoints WHERE agent_id = ?", Long.class,
				this.agent))
			.isZero();
	}

	@Test
	void anAgentKeyReachesItsOwnCheckpointsAndViewersOnlyRead() {
		String other = "cp-other-" + UUID.randomUUID().toString().substring(0, 8);
		this.http.post("/api/agents", Http.json(Map.of("id", other)));
		Http mine = new Http(this.port, key("agent", List.of(this.agent)));
		Http viewer = new Http(this.port, key("viewer", List.of()));

		assertThat(mine.put(this.base + "own", "{\"ok\":true}").status()).isEqualTo(201);
		assertThat(mine.get(this.base + "own").status()).isEqualTo(200);
		Http.Response foreign = mine.put("/api/agents/" + other + "/checkpoints/own", "{}");
		assertThat(foreign.status()).isEqualTo(403);
		assertThat(foreign.json().get("type").asString()).isEqualTo("urn:rebound:problem:forbidden-agent");
		assertThat(mine.get("/api/agents/" + other + "/checkpoints").status()).isEqualTo(403);

		assertThat(viewer.get(this.base + "own").status()).isEqualTo(200);
		assertThat(viewer.put(this.base + "own", "{}").status()).isEqualTo(403);
		assertThat(viewer.delete(this.base + "own").status()).isEqualTo(403);
		assertThat(this.http.get(this.base + "own/versions").json()).hasSize(1);
	}

	private String key(String role, List<String> agents) {
		Http.Response created = this.http.post("/api/keys",
				Http.json(Map.of("name", "cp-" + role, "owner", "tests", "role", role, "agent_ids", agents)));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().get("secret").asString();
	}

	private static String sha256(String text) throws Exception {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
	}

}
