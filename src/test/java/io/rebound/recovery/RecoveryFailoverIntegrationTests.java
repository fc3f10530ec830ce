package io.rebound.recovery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.rebound.Http;
import io.rebound.TestPostgres;
import io.rebound.bench.ReboundProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import tools.jackson.databind.JsonNode;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Rebound instances, each a JVM of its own, on one database and one Kafka broker. The
 * recovery leader is killed (SIGKILL) while an action of a run is in flight; the other
 * instance takes the lease over and finishes the run — the interrupted action is never
 * repeated, and no due step is lost.
 */
@Execution(ExecutionMode.CONCURRENT)
class RecoveryFailoverIntegrationTests {

	@Test
	void killingTheLeaderMidActionHandsTheRunToTheOtherInstanceWithoutRepeatingAStep() throws Exception {
		Path work = Files.createDirectories(Path.of("target/failover"));
		String database = TestPostgres.createDatabase("rebound_failover");
		EmbeddedKafkaKraftBroker kafka = Runs.kafka();
		String[] settings = { "--rebound.recovery.interval=100ms", "--rebound.recovery.stabilization=2s",
				"--rebound.recovery.cooldown=300ms", "--rebound.recovery.action-timeout=5s",
				"--rebound.recovery.lease-ttl=3s", "--rebound.recovery.lease-renew=500ms",
				"--rebound.correlation.interval=100ms", "--rebound.ingest.partitions=2",
				"--spring.kafka.consumer.properties.session.timeout.ms=6000" };
		String url = TestPostgres.server().url(database);
		try (ReboundProcess first = ReboundProcess.start(freePort(), kafka.getBrokersAsString(), url,
				work.resolve("first.log"), settings)) {
			Http one = new Http(first.port());
			String firstLeader = await().atMost(Duration.ofSeconds(10))
				.until(() -> leader(one), (l) -> l != null && !l.isBlank());
			try (ReboundProcess second = ReboundProcess.start(freePort(), kafka.getBrokersAsString(), url,
					work.resolve("second.log"), settings);
					FakeAgent agent = new FakeAgent("failover-agent", "restart", new Http(second.port()))) {
				Http two = new Http(second.port());
				assertThat(leader(two)).as("the first instance leads").isEqualTo(firstLeader);
				// the kill must come before the leader gives the call up (5 s), however
				// busy the
				// machine
				agent.slow("retry", Duration.ofSeconds(8));
				two.post("/api/errors", Http.json(Map.of("source", agent.id, "type", "stall", "severity", "critical",
						"message", "engine stalled on job 7")));

				// the leader is carrying level 1 out: the agent has the call, no answer
				// yet
				await().atMost(Duration.ofSeconds(20)).until(() -> agent.calls.contains("retry"));
				first.kill();

				String run = await().atMost(Duration.ofSeconds(10)).until(() -> runOf(two, agent.id), (r) -> r != null);
				await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					JsonNode now = two.get("/api/recovery/runs/" + run).json();
					assertThat(now.get("run").get("status").asString()).as(now::toString).isIn("running", "succeeded");
					assertThat(now.get("run").get("status").asString()).isEqualTo("succeeded");
				});
				assertThat(leader(two)).as("the second instance leads now").isNotEqualTo(firstLeader);
				JsonNode done = two.get("/api/recovery/runs/" + run).json();
				assertThat(Runs.levels(done)).containsExactly("1:retry:failed", "2:reload:failed",
						"3:restart:succeeded");
				assertThat(agent.calls).as("the interrupted retry was not repeated, nothing was skipped")
					.containsExactly("retry", "reload", "restart");
				assertThat(done.get("attempts").get(0).get("evidence").has("calls"))
					.as("the dead leader never reported its call")
					.isFalse();
			}
		}
		finally {
			kafka.destroy();
			TestPostgres.dropDatabase(database);
		}
	}

	private static String leader(Http rebound) {
		String leader = rebound.get("/api/diagnostics").json().get("instance").get("recovery_leader").asString();
		return leader.equals("none") ? null : leader;
	}

	private static String runOf(Http rebound, String agent) {
		JsonNode run = Runs.newest(rebound, agent);
		return (run != null) ? run.get("run").get("id").asString() : null;
	}

	private static int freePort() throws java.io.IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
