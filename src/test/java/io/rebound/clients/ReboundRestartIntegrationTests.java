package io.rebound.clients;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.rebound.TestPostgres;
import io.rebound.client.ReboundClient;
import io.rebound.bench.ReboundProcess;
import io.rebound.recovery.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Python agent keeps reporting while Rebound is away — not started yet, then killed
 * mid-stream and started again. Its client spools what it cannot deliver and replays it
 * in order once Rebound answers: every one of the 1,000 events is stored exactly once, in
 * the order the agent reported them.
 */
@Execution(ExecutionMode.CONCURRENT)
class ReboundRestartIntegrationTests {

	@Test
	void everyEventReportedWhileReboundIsAwayIsStoredOnceInOrder() throws Exception {
		Path work = Files.createDirectories(Path.of("target/rebound-restart"));
		String database = TestPostgres.createDatabase("rebound_restart");
		String url = TestPostgres.server().url(database);
		EmbeddedKafkaKraftBroker kafka = Runs.kafka();
		int port = PythonClientIntegrationTests.freePort();
		String[] settings = { "--rebound.ingest.limits.enabled=false", "--rebound.ingest.partitions=2" };
		int[] seq = { 0 };
		try (PythonAgent agent = PythonAgent.start("reporter",
				Map.of("REBOUND_URL", "http://localhost:" + port, "REBOUND_AGENT_ID", "py-reporter",
						"REBOUND_MAX_BACKOFF", "2"),
				"tests/live/reporter.py");
				ReboundClient java = ReboundClient.builder()
					.agentId("java-reporter")
					.url("http://localhost:" + port)
					.control(false)
					.maxBackoff(Duration.ofSeconds(2))
					.spoolDir(Files.createTempDirectory(work, "spool"))
					.build()) {
			java.util.function.IntConsumer javaReports = (n) -> IntStream.range(0, n)
				.forEach((i) -> java.report("job_failed", "job " + seq[0] + " failed", "low", Map.of("seq", seq[0]++)));
			agent.say("report 400");
			agent.say("flush 2");
			javaReports.accept(400);
			await().atMost(Duration.ofSeconds(10)).until(() -> agent.output().contains("flushed False"));
			assertThat(java.flush(Duration.ofSeconds(1))).as("Rebound is not there yet").isFalse();
			try (ReboundProcess first = ReboundProcess.start(port, kafka.getBrokersAsString(), url,
					work.resolve("first.log"), settings)) {
				agent.say("report 300");
				javaReports.accept(300);
				await().atMost(Duration.ofSeconds(60))
					.until(() -> stored(url, "py-reporter").size() >= 500
							&& stored(url, "java-reporter").size() >= 500);
				first.kill();
			}
			agent.say("report 300");
			javaReports.accept(300);
			try (ReboundProcess second = ReboundProcess.start(port, kafka.getBrokersAsString(), url,
					work.resolve("second.log"), settings)) {
				agent.say("flush 60");
				await().atMost(Duration.ofSeconds(90)).until(() -> agent.output().contains("flushed True"));
				assertThat(java.flush(Duration.ofSeconds(60))).as(java.stats()::toString).isTrue();
				for (String source : List.of("py-reporter", "java-reporter")) {
					await().atMost(Duration.ofSeconds(30)).until(() -> stored(url, source).size() >= 1000);
					await().during(Duration.ofSeconds(2))
						.atMost(Duration.ofSeconds(5))
						.until(() -> stored(url, source).size() == 1000);
					assertThat(stored(url, source)).as(source + ": once each, in the order reported")
						.containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
				}
				agent.say("quit");
				assertThat(agent.waitFor(Duration.ofSeconds(20))).as(agent::output).isZero();
			}
		}
		finally {
			kafka.destroy();
			TestPostgres.dropDatabase(database);
		}
	}

	/** The agent's events' {@code seq}, in the order they reached the bus. */
	private static List<Integer> stored(String url, String source) throws Exception {
		List<Integer> seqs = new ArrayList<>();
		TestPostgres.Server server = TestPostgres.server();
		try (Connection db = DriverManager.getConnection(url, server.user(), server.password());
				PreparedStatement query = db
					.prepareStatement("SELECT (context ->> 'seq')::int FROM error_events WHERE source = ? "
							+ "AND type = 'job_failed' ORDER BY kafka_partition, kafka_offset")) {
			query.setString(1, source);
			try (ResultSet rs = query.executeQuery()) {
				while (rs.next()) {
					seqs.add(rs.getInt(1));
				}
			}
		}
		catch (java.sql.SQLException ex) {
			return List.of(); // not migrated yet
		}
		return seqs;
	}

}
