package io.rebound.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.rebound.LocalKafka;
import io.rebound.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * Scale-out ({@code ./mvnw -Pbench verify -Dtest=ScaleOutBenchmark}): one, two and three
 * Rebound instances, each in its own JVM, sharing one consumer group and one PostgreSQL
 * database (a fresh one per run), drain N events sent once all of them are in the group.
 * With two and three instances the first is killed ({@code SIGKILL}) a third of the way
 * through and started again 10 s later (its session timeout), so the group rebalances
 * twice mid-batch. Prints the combined drain rate and whether every event was stored once
 * and counted once. Figures only.
 */
class ScaleOutBenchmark {

	private static final long EVENTS = Long.getLong("bench.events", 200_000);

	private static final int MAX_INSTANCES = Integer.getInteger("bench.instances", 3);

	@Test
	void scaleOut() throws Exception {
		Path work = Path.of("target/bench-scale");
		FileSystemUtils.deleteRecursively(work);
		Files.createDirectories(work);
		List<String> rows = new ArrayList<>();
		try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"))) {
			IngestBenchmark.createTopics(kafka.bootstrapServers());
			for (int instances = 1; instances <= MAX_INSTANCES; instances++) {
				rows.add(run(kafka.bootstrapServers(), work, instances));
			}
		}
		IngestBenchmark.report(
				"| instances | drain rate | CPU per event (all instances, a restarted JVM's start included) | stored | duplicates | "
						+ "sum of errors' counts | sum of hourly counts |");
		rows.forEach((row) -> IngestBenchmark.report("%s", row));
	}

	private static String run(String bootstrap, Path work, int instances) throws Exception {
		String db = TestPostgres.createDatabase("rebound_scale_" + instances);
		String url = TestPostgres.server().url(db);
		List<ReboundProcess> running = new ArrayList<>();
		try {
			for (int i = 0; i < instances; i++) {
				running.add(start(bootstrap, url, work, instances, i, 0));
			}
			// all instances join the group before any event is sent; the producer outruns
			// the drain, so they drain a backlog. Each run sends events of its own: the
			// group's offsets are past the previous run's.
			long cpuBefore = cpu(running);
			Thread producing = new Thread(
					() -> IngestBenchmark.produce(bootstrap, new BenchEvents(), (instances - 1) * EVENTS, EVENTS));
			producing.start();
			long cpuOfKilled = 0;
			long killedAt = 0;
			CompletableFuture<ReboundProcess> restarted = null;
			long lastZero = System.nanoTime();
			long count = 0;
			try (Connection connection = DriverManager.getConnection(url, "postgres", "");
					Statement statement = connection.createStatement()) {
				while (count < EVENTS) {
					Thread.sleep(100);
					count = single(statement, "SELECT count(*) FROM error_events");
					if (count == 0) {
						lastZero = System.nanoTime();
					}
					if (instances > 1 && killedAt == 0 && count >= EVENTS / 3) {
						cpuOfKilled = running.get(0).cpuTime().toNanos();
						running.get(0).kill();
						running.remove(0);
						killedAt = System.nanoTime();
						IngestBenchmark.report("%d instances: killed instance 1 (SIGKILL) at %,d stored", instances,
								count);
					}
					if (killedAt != 0 && restarted == null && System.nanoTime() - killedAt > 10_000_000_000L) {
						IngestBenchmark.report("%d instances: starting instance 1 again at %,d stored", instances,
								count);
						restarted = CompletableFuture.supplyAsync(() -> {
							try {
								return start(bootstrap, url, work, instances, 0, 1);
							}
							catch (Exception ex) {
								throw new IllegalStateException(ex);
							}
						});
					}
				}
				double seconds = (System.nanoTime() - lastZero) / 1e9;
				producing.join();
				if (restarted != null) {
					running.add(restarted.join());
				}
				double cpuNanos = cpu(running) - cpuBefore + cpuOfKilled;
				// the hourly tally is written every 2 s (later when the scheduler is
				// busy):
				// what is missing 3 s after the drain is reported as such
				Thread.sleep(3000);
				long stored = single(statement, "SELECT count(*) FROM error_events");
				long distinct = single(statement, "SELECT count(DISTINCT event_id) FROM error_events");
				long counted = single(statement, "SELECT coalesce(sum(count), 0) FROM errors");
				long hourly = single(statement, "SELECT coalesce(sum(count), 0) FROM error_hourly");
				IngestBenchmark.report(
						"%d instance(s): %,.0f events/s, stored %,d (distinct %,d), counted %,d, hourly %,d", instances,
						EVENTS / seconds, stored, distinct, counted, hourly);
				return "| %d%s | %,.0f events/s | %.1f µs | %,d of %,d | %,d | %,d | %,d |".formatted(instances,
						(instances > 1) ? " (one killed and restarted)" : "", EVENTS / seconds, cpuNanos / 1e3 / EVENTS,
						stored, EVENTS, stored - distinct, counted, hourly);
			}
		}
		finally {
			for (ReboundProcess rebound : running) {
				rebound.close();
			}
			TestPostgres.dropDatabase(db);
		}
	}

	private static ReboundProcess start(String bootstrap, String url, Path work, int instances, int index, int life)
			throws Exception {
		return ReboundProcess.start(18180 + index, bootstrap, url,
				work.resolve("rebound-" + instances + "-" + index + "-" + life + ".log"),
				"--rebound.ingest.limits.enabled=false");
	}

	private static long cpu(List<ReboundProcess> running) throws Exception {
		long total = 0;
		for (ReboundProcess rebound : running) {
			total += rebound.cpuTime().toNanos();
		}
		return total;
	}

	private static long single(Statement statement, String sql) throws Exception {
		try (ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
