package io.rebound.hooks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import io.rebound.TestWebhook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook subscriptions against a real receiver ({@code it-subscriber}, which takes the
 * agents of policy {@code hooked}; retries from 200 ms to 1 s in the test context): a
 * receiver that is down gets every notification once it is back, each exactly once with
 * its idempotency key, and what its filter leaves out it never gets.
 */
@IntegrationTest
class HooksIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	Http http;

	String agent;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
		this.agent = "hooked-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@AfterEach
	void up() {
		TestWebhook.subscriberDown(false);
	}

	@Test
	void aSubscriberThatIsDownGetsEveryNotificationOnceWhenItIsBack() {
		this.http.post("/api/agents", Http.json(Map.of("id", this.agent, "policy", "hooked")));
		TestWebhook.subscriberDown(true);
		int refusedBefore = TestWebhook.refused();
		this.http.post("/api/errors", Http.json(Map.of("source", this.agent, "type", "crash", "severity", "critical",
				"message", "worker exited with code 137")));
		String incident = await().atMost(Duration.ofSeconds(15))
			.until(() -> this.http.get("/api/incidents?root_agent=" + this.agent).json().get("items"),
					(items) -> !items.isEmpty())
			.get(0)
			.get("id")
			.asString();
		// it is tried, refused, and tried again
		await().atMost(Duration.ofSeconds(10)).until(() -> TestWebhook.refused() >= refusedBefore + 3);
		assertThat(mine()).isEmpty();

		TestWebhook.subscriberDown(false);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(mine()).extracting((t) -> JSON.readTree(t.body()).get("event").asString())
				.contains("incident.opened"));
		// with no control endpoint, its run climbs: each climb is told
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			JsonNode escalated = mine().stream()
				.map((t) -> JSON.readTree(t.body()))
				.filter((b) -> b.get("event").asString().equals("incident.escalated"))
				.findFirst()
				.orElseThrow();
			assertThat(escalated.get("incident_id").asString()).isEqualTo(incident);
			assertThat(escalated.get("category").asString()).isNotBlank();
		});
		assertThat(this.http.post("/api/incidents/" + incident + "/resolve", "{\"note\":\"fixed by hand\"}").status())
			.isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(mine()).extracting((t) -> JSON.readTree(t.body()).get("event").asString())
				.contains("incident.resolved"));

		// each once: the same notification is never taken twice
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			List<TestWebhook.Taken> taken = mine();
			assertThat(taken).extracting(TestWebhook.Taken::key).doesNotHaveDuplicates();
			assertThat(taken).extracting((t) -> JSON.readTree(t.body()).get("event").asString())
				.filteredOn((e) -> e.startsWith("incident."))
				.containsOnlyOnce("incident.opened", "incident.resolved");
		});
		JsonNode opened = mine().stream()
			.map((t) -> JSON.readTree(t.body()))
			.filter((b) -> b.get("event").asString().equals("incident.opened"))
			.findFirst()
			.orElseThrow();
		assertThat(opened.get("incident_id").asString()).isEqualTo(incident);
		assertThat(opened.get("severity").asString()).isEqualTo("critical");
		assertThat(opened.get("delivery_id").asString()).isEqualTo(
				mine().stream().filter((t) -> t.body().contains("incident.opened")).findFirst().orElseThrow().key());
		assertThat(this.jdbc.queryForObject(
				"SELECT max(attempts) FROM hook_deliveries WHERE event = 'incident.opened' AND body ->> 'incident_id' = ?",
				Integer.class, incident))
			.as("refused first, then taken")
			.isGreaterThan(1);
	}

	@Test
	void whatTheFilterLeavesOutIsNeverSent() {
		String other = "unhooked-" + UUID.randomUUID().toString().substring(0, 8);
		this.http.post("/api/agents", Http.json(Map.of("id", other)));
		this.http.post("/api/errors", Http.json(Map.of("source", other, "type", "crash", "severity", "critical",
				"message", "worker exited with code 137")));
		await().atMost(Duration.ofSeconds(15))
			.until(() -> !this.http.get("/api/incidents?root_agent=" + other).json().get("items").isEmpty());

		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(5))
			.until(() -> TestWebhook.taken().stream().noneMatch((t) -> t.body().contains(other)));
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM hook_deliveries WHERE body::text LIKE ?", Long.class,
				"%" + other + "%"))
			.isZero();
	}

	private List<TestWebhook.Taken> mine() {
		return TestWebhook.taken().stream().filter((t) -> t.body().contains(this.agent)).toList();
	}

}
