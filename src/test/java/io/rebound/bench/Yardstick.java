package io.rebound.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.rebound.errors.Fingerprinter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plain hand-written consumer Rebound is measured against: two threads, each a
 * KafkaConsumer that parses every record, fingerprints it the same way, inserts the batch
 * with batched JDBC ({@code ON CONFLICT DO NOTHING}), upserts the groups and commits
 * offsets after the database commit. It does less than Rebound: no contract validation,
 * no category inference, no metrics, no dead letters, and its group counts would count a
 * replayed event twice.
 */
final class Yardstick {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Yardstick() {
	}

	static void createTables(String jdbcUrl) throws Exception {
		try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(
					"""
							CREATE TABLE events (event_id uuid PRIMARY KEY, group_id text NOT NULL, source text NOT NULL,
							  type text NOT NULL, severity text NOT NULL, message text NOT NULL, occurred_at timestamptz NOT NULL,
							  context jsonb NOT NULL);
							CREATE TABLE groups (id text PRIMARY KEY, count bigint NOT NULL, first_seen timestamptz NOT NULL,
							  last_seen timestamptz NOT NULL);
							""");
		}
	}

	/**
	 * How a drain went.
	 *
	 * @param took from the first stored row to the last
	 * @param cpu CPU time of the two consumer threads
	 */
	record Result(Duration took, Duration cpu) {
	}

	/**
	 * Drains a backlog in a JVM of its own, as Rebound does (the benchmark starts it as
	 * {@link ReboundProcess#java} gives), and prints its consumer threads' CPU.
	 * @param args the bootstrap servers, the topics (comma-separated), the JDBC URL and
	 * how many events to drain
	 */
	public static void main(String[] args) throws Exception {
		Result result = drain(args[0], List.of(args[1].split(",")), args[2], Long.parseLong(args[3]));
		System.out.println("consumer-threads-cpu-nanos=" + result.cpu().toNanos());
	}

	/** Drains {@code expected} events from the topics. */
	static Result drain(String kafka, List<String> topics, String jdbcUrl, long expected) throws Exception {
		AtomicLong stored = new AtomicLong();
		AtomicLong firstStored = new AtomicLong();
		AtomicLong cpuNanos = new AtomicLong();
		Thread[] threads = new Thread[2];
		for (int t = 0; t < threads.length; t++) {
			threads[t] = new Thread(() -> {
				try {
					consume(kafka, topics, jdbcUrl, expected, stored, firstStored);
					cpuNanos.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, "yardstick-" + t);
			threads[t].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		return new Result(Duration.ofNanos(System.nanoTime() - firstStored.get()), Duration.ofNanos(cpuNanos.get()));
	}

	private static void consume(String kafka, List<String> topics, String jdbcUrl, long expected, AtomicLong stored,
			AtomicLong firstStored) throws Exception {
		Properties config = new Properties();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "yardstick");
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer());
				Connection connection = DriverManager.getConnection(jdbcUrl + "?reWriteBatchedInserts=true", "postgres",
						"")) {
			connection.setAutoCommit(false);
			consumer.subscribe(topics);
			while (stored.get() < expected) {
				ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
				if (records.isEmpty()) {
					continue;
				}
				store(connection, records);
				connection.commit();
				consumer.commitSync();
				firstStored.compareAndSet(0, System.nanoTime());
				stored.addAndGet(records.count());
			}
		}
	}

	private static void store(Connection connection, ConsumerRecords<String, byte[]> records) throws Exception {
		Map<String, long[]> counts = new TreeMap<>();
		Map<String, Instant[]> times = new HashMap<>();
		try (PreparedStatement insert = connection.prepareStatement(
				"INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (event_id) DO NOTHING")) {
			for (ConsumerRecord<String, byte[]> record : records) {
				JsonNode event = JSON.readTree(record.value());
				String source = event.get("source").asString();
				String type = event.get("type").asString();
				String message = event.get("message").asString();
				String group = Fingerprinter.of(source, type, message).value();
				Instant at = LocalDateTime.parse(event.get("timestamp").asString()).toInstant(ZoneOffset.UTC);
				insert.setObject(1, UUID.fromString(event.get("event_id").asString()));
				insert.setString(2, group);
				insert.setString(3, source);
				insert.setString(4, type);
				insert.setString(5, event.get("severity").asString());
				insert.setString(6, message);
				insert.setTimestamp(7, Timestamp.from(at));
				insert.setString(8, JSON.writeValueAsString(event.get("context")));
				insert.addBatch();
				counts.computeIfAbsent(group, (g) -> new long[1])[0]++;
				times.merge(group, new Instant[] { at, at }, (a,
						b) -> new Instant[] { a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1] });
			}
			insert.executeBatch();
		}
		try (PreparedStatement upsert = connection.prepareStatement(
				"""
						INSERT INTO groups VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET count = groups.count + EXCLUDED.count,
						  first_seen = LEAST(groups.first_seen, EXCLUDED.first_seen),
						  last_seen = GREATEST(groups.last_seen, EXCLUDED.last_seen)""")) {
			for (Map.Entry<String, long[]> group : counts.entrySet()) {
				upsert.setString(1, group.getKey());
				upsert.setLong(2, group.getValue()[0]);
				upsert.setTimestamp(3, Timestamp.from(times.get(group.getKey())[0]));
				upsert.setTimestamp(4, Timestamp.from(times.get(group.getKey())[1]));
				upsert.addBatch();
			}
			upsert.executeBatch();
		}
	}

}
