package io.rebound.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import io.rebound.LocalKafka;
import io.rebound.TestPostgres;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The agents benchmark ({@code ./mvnw -Pbench verify}): a simulated fleet heartbeats on
 * Kafka against one Rebound (its own JVM, {@code -Xmx512m}); once every agent is healthy,
 * some stop. Prints how long Rebound took to mark each stopped agent {@code failed},
 * against that agent's timeout (its learned interval × failure threshold + tolerance),
 * whether any live agent was wrongly failed, the heartbeat rate, and Rebound's CPU and
 * heap. Figures only.
 */
class AgentsBenchmark {

	private static final int KILLED_PERCENT = 5;

	@Test
	void fleets() throws Exception {
		Path work = Path.of("target/bench-agents");
		FileSystemUtils.deleteRecursively(work);
		Files.createDirectories(work);
		try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"))) {
			run(kafka, work, Integer.getInteger("bench.agents.small", 1_000), Duration.ofSeconds(5));
			if (!Boolean.getBoolean("bench.agents.skip-large")) {
				run(kafka, work, Integer.getInteger("bench.agents.large", 10_000), Duration.ofSeconds(30));
			}
		}
	}

	private void run(LocalKafka kafka, Path work, int agents, Duration every) throws Exception {
		String database = TestPostgres.createDatabase("rebound_agents_bench");
		String url = TestPostgres.server().url(database);
		String prefix = "fleet" + agents + "-";
		try (ReboundProcess rebound = ReboundProcess.start(18081, kafka.bootstrapServers(), url,
				work.resolve("rebound-" + agents + ".log"));
				KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
			Fleet fleet = new Fleet(producer, prefix, agents, every);
			fleet.start();
			// three intervals: every agent has sent enough to have its interval learned
			Thread.sleep(every.toMillis() * 3 + 2_000);
			awaitHealthy(url, prefix, agents);
			Duration cpuBefore = rebound.cpuTime();
			long sentBefore = fleet.sent;
			long wallBefore = System.nanoTime();
			Set<String> killed = fleet.kill(agents * KILLED_PERCENT / 100);
			double maxHeap = 0;
			long deadline = System.currentTimeMillis() + every.toMillis() * 3 + 30_000;
			Map<String, Double> detection = Map.of();
			while (System.currentTimeMillis() < deadline) {
				Thread.sleep(1000);
				maxHeap = Math.max(maxHeap, rebound.heapUsed());
				detection = detections(url, prefix, fleet);
				if (detection.keySet().containsAll(killed)) {
					break;
				}
			}
			double seconds = (System.nanoTime() - wallBefore) / 1e9;
			double cpu = (rebound.cpuTime().toMillis() - cpuBefore.toMillis()) / 1000.0;
			long heartbeats = fleet.sent - sentBefore;
			fleet.stopFleet();
			report(agents, every, killed, detection, url, prefix, heartbeats / seconds, cpu / seconds, maxHeap);
		}
		finally {
			TestPostgres.dropDatabase(database);
		}
	}

	private static void report(int agents, Duration every, Set<String> killed, Map<String, Double> detection,
			String url, String prefix, double heartbeatRate, double cores, double maxHeap) throws Exception {
		List<Double> overshoot = new ArrayList<>();
		List<Double> afterLast = new ArrayList<>();
		int falseFailed = 0;
		Map<String, Double> timeouts = timeouts(url, prefix);
		for (Map.Entry<String, Double> detected : detection.entrySet()) {
			if (killed.contains(detected.getKey())) {
				afterLast.add(detected.getValue());
				overshoot.add(detected.getValue() - timeouts.get(detected.getKey()));
			}
			else {
				falseFailed++;
			}
		}
		afterLast.sort(Double::compare);
		overshoot.sort(Double::compare);
		IngestBenchmark.report("%,d agents every %d s, %d stopped: %d of them marked failed; "
				+ "after their last heartbeat p50 %.1f s, p99 %.1f s; beyond their timeout p50 %+.2f s, p99 %+.2f s, max %+.2f s",
				agents, every.toSeconds(), killed.size(), afterLast.size(), pct(afterLast, 0.5), pct(afterLast, 0.99),
				pct(overshoot, 0.5), pct(overshoot, 0.99),
				overshoot.isEmpty() ? Double.NaN : overshoot.get(overshoot.size() - 1));
		IngestBenchmark.report(
				"%,d agents every %d s: live agents wrongly failed: %d; heartbeats %,.0f/s; "
						+ "Rebound CPU %.2f cores, heap max %.0f MB of -Xmx512m",
				agents, every.toSeconds(), falseFailed, heartbeatRate, cores, maxHeap / 1e6);
	}

	/**
	 * Seconds from each failed agent's last heartbeat to the moment Rebound marked it
	 * failed.
	 */
	private static Map<String, Double> detections(String url, String prefix, Fleet fleet) throws Exception {
		Map<String, Double> detected = new HashMap<>();
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT h.agent_id, min(h.at) FROM agent_health_history h "
						+ "WHERE h.to_state = 'failed' AND h.agent_id LIKE '" + prefix + "%' GROUP BY h.agent_id")) {
			while (rs.next()) {
				Long last = fleet.lastSent.get(rs.getString(1));
				detected.put(rs.getString(1), (rs.getTimestamp(2).getTime() - last) / 1000.0);
			}
		}
		return detected;
	}

	/** Each agent's timeout in seconds, from the interval Rebound learned for it. */
	private static Map<String, Double> timeouts(String url, String prefix) throws Exception {
		Map<String, Double> timeouts = new HashMap<>();
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("SELECT id, interval_ms FROM agents WHERE id LIKE '" + prefix + "%'")) {
			while (rs.next()) {
				long interval = rs.getLong(2);
				timeouts.put(rs.getString(1), (interval * 3 + Math.min(1000, interval / 2)) / 1000.0);
			}
		}
		return timeouts;
	}

	private static void awaitHealthy(String url, String prefix, int agents) throws Exception {
		long deadline = System.currentTimeMillis() + 120_000;
		while (System.currentTimeMillis() < deadline) {
			try (Connection connection = DriverManager.getConnection(url, "postgres", "");
					Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery(
							"SELECT count(*) FROM agents WHERE state = 'healthy' AND id LIKE '" + prefix + "%'")) {
				rs.next();
				if (rs.getLong(1) == agents) {
					return;
				}
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("Not every agent became healthy");
	}

	private static double pct(List<Double> sorted, double p) {
		return sorted.isEmpty() ? Double.NaN
				: sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
	}

	private static KafkaProducer<String, byte[]> producer(String bootstrap) {
		Properties config = new Properties();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
		return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
	}

	/** The simulated agents: each heartbeats at its own phase of the interval. */
	private static final class Fleet extends Thread {

		private final KafkaProducer<String, byte[]> producer;

		private final String prefix;

		private final int agents;

		private final long intervalNanos;

		final Map<String, Long> lastSent = new ConcurrentHashMap<>();

		private final Set<String> killed = ConcurrentHashMap.newKeySet();

		volatile long sent;

		private volatile boolean running = true;

		Fleet(KafkaProducer<String, byte[]> producer, String prefix, int agents, Duration every) {
			super("fleet");
			setDaemon(true);
			this.producer = producer;
			this.prefix = prefix;
			this.agents = agents;
			this.intervalNanos = every.toNanos();
		}

		@Override
		public void run() {
			long start = System.nanoTime();
			long[] next = new long[this.agents];
			for (int i = 0; i < this.agents; i++) {
				next[i] = start + this.intervalNanos * i / this.agents;
			}
			byte[] body = "{\"status\":\"ok\",\"response_time_ms\":40}".getBytes(StandardCharsets.UTF_8);
			while (this.running) {
				long now = System.nanoTime();
				for (int i = 0; i < this.agents; i++) {
					if (next[i] <= now) {
						String id = this.prefix + i;
						next[i] += this.intervalNanos;
						if (!this.killed.contains(id)) {
							this.producer.send(new ProducerRecord<>("rebound.heartbeats", id, body));
							this.lastSent.put(id, System.currentTimeMillis());
							this.sent++;
						}
					}
				}
				LockSupport.parkNanos(10_000_000);
			}
		}

		Set<String> kill(int count) {
			for (int i = 0; i < count; i++) {
				this.killed.add(this.prefix + (i * (this.agents / count)));
			}
			return Set.copyOf(this.killed);
		}

		void stopFleet() {
			this.running = false;
		}

	}

}
