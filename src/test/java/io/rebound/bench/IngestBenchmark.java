package io.rebound.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rebound.LocalKafka;
import io.rebound.TestPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The ingest benchmark ({@code ./mvnw -Pbench verify}): Kafka, PostgreSQL and Rebound on
 * this machine. Prints (a) the sustained rate at which Rebound drains N events into
 * PostgreSQL with grouping, against the hand-written {@link Yardstick} on the same
 * events, for the first N of a backlog (cold JVM) and N after a warm-up (warm; a tail
 * follows, unmeasured), with Rebound's CPU per event by stage and PostgreSQL's CPU per
 * event, and (b) publish-to-commit latency at a steady rate. Figures only; nothing is
 * asserted about them.
 */
class IngestBenchmark {

	/**
	 * Events per half: the first half drains into a cold JVM, the second into a warm one.
	 */
	private static final long EVENTS = Long.getLong("bench.events", 200_000);

	/**
	 * Events drained between the two halves, measured by nothing: Rebound's JIT compiles
	 * for many seconds after it starts (C2: about 7 µs of CPU per event still in the
	 * 200,000 events after the first 200,000, 4 µs after 800,000, under 1 µs after
	 * 1,600,000), so a warm JVM is one that has done that. The yardstick drains as many
	 * in between too.
	 */
	private static final long WARMUP = Long.getLong("bench.warmup", 1_400_000);

	/**
	 * Events after the warm half, measured by nothing: at the end of a backlog the
	 * partitions run dry one by one, and a consumer whose partitions are done waits idle.
	 */
	private static final long TAIL = Long.getLong("bench.tail", EVENTS);

	/** The backlog: both halves, the warm-up between them and the tail. */
	private static final long BACKLOG = 2 * EVENTS + WARMUP + TAIL;

	private static final List<String> STAGES = List.of("parse", "validate", "normalize", "classify", "store");

	/**
	 * The load is 100 sources sending as fast as Kafka takes it, which the default noise
	 * limits would mostly count without storing; the benchmark measures storing every
	 * event, so the limits are on (every event is checked against them) with thresholds
	 * no event reaches, unless {@code -Dbench.limits=true} asks for the defaults.
	 */
	private static final String[] NOISE_LIMITS = Boolean.getBoolean("bench.limits")
			? new String[] { "--rebound.ingest.limits.enabled=true" }
			: new String[] { "--rebound.ingest.limits.enabled=true", "--rebound.ingest.limits.per-source=100000000",
					"--rebound.ingest.limits.per-source-burst=100000000",
					"--rebound.ingest.limits.per-error-per-minute=1000000000" };

	private static final int RATE = Integer.getInteger("bench.rate", 5_000);

	private static final int STEADY_SECONDS = Integer.getInteger("bench.steady-seconds", 30);

	private static final int PARTITIONS = 6;

	private static final List<String> TOPICS = List.of("rebound.errors.critical", "rebound.errors.high",
			"rebound.errors.medium", "rebound.errors.low", "rebound.errors.info");

	@Test
	void ingest() throws Exception {
		Path work = Path.of("target/bench");
		FileSystemUtils.deleteRecursively(work);
		Files.createDirectories(work);
		String reboundDb = TestPostgres.createDatabase("rebound_bench");
		String yardstickDb = TestPostgres.createDatabase("yardstick_bench");
		try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"))) {
			createTopics(kafka.bootstrapServers());
			BenchEvents events = new BenchEvents();
			long produceStart = System.nanoTime();
			produce(kafka.bootstrapServers(), events, 0, BACKLOG);
			report("PostgreSQL: %s", TestPostgres.server().kind());
			report("loaded %,d events into Kafka in %.1f s (%,d cold, %,d to warm up, %,d warm, %,d after)", BACKLOG,
					seconds(System.nanoTime() - produceStart), EVENTS, WARMUP, EVENTS, TAIL);

			String reboundUrl = TestPostgres.server().url(reboundDb);
			Drain rebound;
			try (ReboundProcess process = ReboundProcess.start(18080, kafka.bootstrapServers(), reboundUrl,
					work.resolve("rebound.log"), NOISE_LIMITS)) {
				HeapWatch heap = new HeapWatch(process);
				heap.start();
				rebound = drain(reboundUrl, "SELECT coalesce(sum(count), 0) FROM errors", process);
				for (int half = 0; half < 2; half++) {
					report("rebound drain, %s JVM (%s): %,.0f events/s", (half == 0) ? "cold" : "warm", segment(half),
							rebound.rate(half));
					report("  rebound CPU: %.1f µs per event (%.2f cores); by stage, µs per event: %s; the rest "
							+ "(Kafka client, GC, JIT, correlator, HTTP): %.1f", rebound.cpuMicros(half),
							rebound.cores(half), rebound.stages(half), rebound.restMicros(half));
					report("  the rest by thread, µs per event: %s", rebound.threads(half));
					report("  PostgreSQL CPU: %.1f µs per event; %.0f records per batch on average; the machine's cores %.0f %% busy",
							rebound.postgresMicros(half), rebound.batchSize(half), 100 * rebound.machineBusy(half));
				}
				checkGroups(reboundUrl);
				double[] before = stageCpu(process);
				double processBefore = process.cpuTime().toNanos() / 1e9;
				steady(kafka.bootstrapServers(), events, process);
				double[] after = stageCpu(process);
				StringBuilder stages = new StringBuilder();
				for (int s = 0; s < STAGES.size(); s++) {
					stages.append((s > 0) ? ", " : "")
						.append(STAGES.get(s))
						.append(' ')
						.append("%.1f".formatted((after[s] - before[s]) * 1e6 / (RATE * STEADY_SECONDS)));
				}
				report("  at the steady rate, µs per event: Rebound CPU %.1f; by stage: %s",
						(process.cpuTime().toNanos() / 1e9 - processBefore) * 1e6 / (RATE * STEADY_SECONDS), stages);
				heap.stopWatching();
				report("rebound heap: max %.0f MB used of -Xmx512m", heap.maxHeap / 1e6);
			}

			String yardstickUrl = TestPostgres.server().url(yardstickDb);
			Yardstick.createTables(yardstickUrl);
			// in a cold JVM of its own with Rebound's flags, as Rebound runs: this JVM's
			// producer has warmed Kafka's client and Jackson up
			List<String> command = ReboundProcess.java(Yardstick.class.getName());
			command.addAll(
					List.of(kafka.bootstrapServers(), String.join(",", TOPICS), yardstickUrl, Long.toString(BACKLOG)));
			Path yardstickLog = work.resolve("yardstick.log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(yardstickLog.toFile())
				.start();
			Drain yardstick = drain(yardstickUrl, "SELECT coalesce(sum(count), 0) FROM groups", process.pid());
			if (process.waitFor() != 0) {
				throw new IllegalStateException("the yardstick failed; see " + yardstickLog);
			}
			for (int half = 0; half < 2; half++) {
				report("yardstick drain, %s JVM (%s): %,.0f events/s; its CPU %.1f µs per event; PostgreSQL CPU %.1f µs "
						+ "per event; the machine's cores %.0f %% busy", (half == 0) ? "cold" : "warm", segment(half),
						yardstick.rate(half), yardstick.cpuMicros(half), yardstick.postgresMicros(half),
						100 * yardstick.machineBusy(half));
			}
			Matcher threads = Pattern.compile("consumer-threads-cpu-nanos=(\\d+)")
				.matcher(Files.readString(yardstickLog));
			if (threads.find()) {
				report("yardstick CPU (its two consumer threads only, the whole backlog): %.1f µs per event",
						Long.parseLong(threads.group(1)) / 1e3 / BACKLOG);
			}
			report("ratio rebound / yardstick: cold %.2f, warm %.2f", rebound.rate(0) / yardstick.rate(0),
					rebound.rate(1) / yardstick.rate(1));
		}
		finally {
			TestPostgres.dropDatabase(reboundDb);
			TestPostgres.dropDatabase(yardstickDb);
		}
	}

	/** Which events a half is. */
	private static String segment(int half) {
		return (half == 0) ? "the first %,d".formatted(EVENTS)
				: "%,d after the first %,d".formatted(EVENTS, EVENTS + WARMUP);
	}

	/**
	 * Waits until the whole backlog is stored (counted in their groups, which commit with
	 * them: cheaper to poll than counting the rows), noting the time, Rebound's CPU
	 * (process and stages) and PostgreSQL's CPU when the first row lands, when N have,
	 * when the warm-up has and when the warm half has.
	 */
	private static Drain drain(String jdbcUrl, String count, ReboundProcess rebound) throws Exception {
		return drain(jdbcUrl, count, rebound, rebound.pid());
	}

	/** As Rebound's, for another process: its CPU only. */
	private static Drain drain(String jdbcUrl, String count, long pid) throws Exception {
		return drain(jdbcUrl, count, null, pid);
	}

	private static Drain drain(String jdbcUrl, String count, ReboundProcess rebound, long pid) throws Exception {
		Drain drain = new Drain(pid);
		try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
				Statement statement = connection.createStatement()) {
			drain.mark(0, rebound);
			long stored = 0;
			long[] marks = { 0, EVENTS, EVENTS + WARMUP, 2 * EVENTS + WARMUP };
			int next = 1;
			while (next < marks.length || stored < BACKLOG) {
				Thread.sleep(50);
				// asked before counting: what it stored before it ended is counted
				boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
				try (ResultSet rs = statement.executeQuery(count)) {
					rs.next();
					stored = rs.getLong(1);
				}
				if (!alive && stored < BACKLOG) {
					throw new IllegalStateException("the draining process " + pid + " ended with " + stored + " of "
							+ BACKLOG + " events stored");
				}
				if (stored == 0) {
					drain.mark(0, rebound);
				}
				else {
					while (next < marks.length && stored >= marks[next]) {
						drain.mark(next++, rebound);
					}
				}
			}
		}
		return drain;
	}

	private static double[] stageCpu(ReboundProcess rebound) throws Exception {
		double[] seconds = new double[STAGES.size()];
		for (int s = 0; s < STAGES.size(); s++) {
			seconds[s] = rebound.stageCpu(STAGES.get(s));
		}
		return seconds;
	}

	/**
	 * Readings at the start, at the end of the cold half, at the start of the warm one
	 * and at the end of a drain.
	 */
	private static final class Drain {

		final long[] nanos = new long[4];

		final double[] processCpu = new double[4];

		final double[] postgresCpu = new double[4];

		final double[][] stageCpu = new double[4][STAGES.size()];

		final double[][] batches = new double[4][2];

		final double[][] threadCpu = new double[4][];

		/** The machine's busy and idle CPU seconds (all cores), from /proc/stat. */
		final double[][] machine = new double[4][];

		/** The draining process. */
		private final long pid;

		Drain(long pid) {
			this.pid = pid;
		}

		void mark(int at, ReboundProcess rebound) throws Exception {
			this.nanos[at] = System.nanoTime();
			this.postgresCpu[at] = postgresCpuSeconds();
			this.machine[at] = machineCpuSeconds();
			this.processCpu[at] = ReboundProcess.cpuTime(this.pid).toNanos() / 1e9;
			if (rebound != null) {
				for (int s = 0; s < STAGES.size(); s++) {
					this.stageCpu[at][s] = rebound.stageCpu(STAGES.get(s));
				}
				this.batches[at] = rebound.summary("rebound.ingest.batch.size");
				this.threadCpu[at] = rebound.threadCpu();
			}
		}

		/**
		 * Where a half's readings start: the cold half at the first row, the warm one
		 * after the warm-up.
		 */
		private static int start(int half) {
			return 2 * half;
		}

		private static int end(int half) {
			return 2 * half + 1;
		}

		double batchSize(int half) {
			return (this.batches[end(half)][1] - this.batches[start(half)][1])
					/ (this.batches[end(half)][0] - this.batches[start(half)][0]);
		}

		double rate(int half) {
			return EVENTS / seconds(this.nanos[end(half)] - this.nanos[start(half)]);
		}

		double cpuMicros(int half) {
			return (this.processCpu[end(half)] - this.processCpu[start(half)]) * 1e6 / EVENTS;
		}

		double cores(int half) {
			return (this.processCpu[end(half)] - this.processCpu[start(half)])
					/ seconds(this.nanos[end(half)] - this.nanos[start(half)]);
		}

		double stageMicros(int half, int stage) {
			return (this.stageCpu[end(half)][stage] - this.stageCpu[start(half)][stage]) * 1e6 / EVENTS;
		}

		String stages(int half) {
			StringBuilder text = new StringBuilder();
			for (int s = 0; s < STAGES.size(); s++) {
				text.append((s > 0) ? ", " : "").append(STAGES.get(s)).append(' ');
				text.append("%.1f".formatted(stageMicros(half, s)));
			}
			return text.toString();
		}

		double restMicros(int half) {
			double rest = cpuMicros(half);
			for (int s = 0; s < STAGES.size(); s++) {
				rest -= stageMicros(half, s);
			}
			return rest;
		}

		/**
		 * The process's CPU by thread group, the ingest threads' less their stages (what
		 * is left there is the Kafka consumer's polling and the listener); threads that
		 * ended within the half are not counted.
		 */
		String threads(int half) {
			StringBuilder text = new StringBuilder();
			for (int g = 0; g < ReboundProcess.THREAD_GROUPS.size(); g++) {
				double micros = (this.threadCpu[end(half)][g] - this.threadCpu[start(half)][g]) * 1e6 / EVENTS;
				if (g == 0) {
					for (int s = 0; s < STAGES.size(); s++) {
						micros -= stageMicros(half, s);
					}
				}
				text.append((g > 0) ? ", " : "")
					.append((g == 0) ? "ingest threads outside the stages" : ReboundProcess.THREAD_GROUPS.get(g))
					.append(' ')
					.append("%.1f".formatted(micros));
			}
			return text.toString();
		}

		/** How busy the machine's cores were, 0 to 1. */
		double machineBusy(int half) {
			double busy = this.machine[end(half)][0] - this.machine[start(half)][0];
			double idle = this.machine[end(half)][1] - this.machine[start(half)][1];
			return busy / (busy + idle);
		}

		double postgresMicros(int half) {
			return (this.postgresCpu[end(half)] - this.postgresCpu[start(half)]) * 1e6 / EVENTS;
		}

	}

	/**
	 * CPU seconds used so far by every PostgreSQL process on this machine (user + system,
	 * from /proc; the benchmark's database is the only busy one), with what its ended
	 * processes used (the postmaster's reaped children): a backend whose connection
	 * closed between two readings would otherwise take its CPU out of the sum.
	 */
	static double postgresCpuSeconds() throws Exception {
		long ticks = 0;
		try (java.util.stream.Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path dir : (Iterable<Path>) processes::iterator) {
				if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) {
					continue;
				}
				try {
					String stat = Files.readString(dir.resolve("stat"));
					String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					if (comm.startsWith("postgres")) {
						String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
						ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
								+ Long.parseLong(fields[14]);
					}
				}
				catch (java.io.IOException ex) {
					// the process ended meanwhile
				}
			}
		}
		return ticks / 100.0; // USER_HZ is 100 on Linux
	}

	/** Busy and idle (with I/O wait) CPU seconds of all the machine's cores so far. */
	static double[] machineCpuSeconds() throws Exception {
		String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
		double busy = 0;
		for (int f = 1; f < fields.length; f++) {
			if (f != 4 && f != 5) {
				busy += Long.parseLong(fields[f]);
			}
		}
		return new double[] { busy / 100, (Long.parseLong(fields[4]) + Long.parseLong(fields[5])) / 100.0 };
	}

	private static void checkGroups(String jdbcUrl) throws Exception {
		try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT count(*), sum(count) FROM errors")) {
			rs.next();
			report("rebound grouped them into %,d errors holding %,d events (expected %,d and %,d)", rs.getLong(1),
					rs.getLong(2), 5 * BenchEvents.SOURCES, BACKLOG);
		}
	}

	/**
	 * Publishes at a steady rate and reads when the consumer group's offsets pass each
	 * record.
	 */
	private static void steady(String bootstrap, BenchEvents events, ReboundProcess rebound) throws Exception {
		int total = RATE * STEADY_SECONDS;
		long[] sentAt = new long[total];
		int[] partitionOf = new int[total];
		String[] topicOf = new String[total];
		long[] offsetOf = new long[total];
		long[] committedAt = new long[total];
		Arrays.fill(committedAt, -1);
		AtomicInteger acked = new AtomicInteger();
		try (KafkaProducer<String, byte[]> producer = producer(bootstrap, 1);
				Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
			Thread watcher = new Thread(
					() -> watchCommits(admin, total, acked, topicOf, partitionOf, offsetOf, committedAt));
			watcher.start();
			long start = System.nanoTime();
			long intervalNanos = 10_000_000;
			int perTick = RATE / 100;
			for (int i = 0; i < total; i++) {
				if (i % perTick == 0) {
					long due = start + (i / perTick) * intervalNanos;
					long wait = due - System.nanoTime();
					if (wait > 0) {
						LockSupport.parkNanos(wait);
					}
				}
				int n = i;
				long index = BACKLOG + i;
				sentAt[n] = System.nanoTime();
				producer.send(new ProducerRecord<>("rebound.errors." + BenchEvents.severityOf(index),
						BenchEvents.source(index), events.event(index, 0)), (metadata, ex) -> {
							if (ex == null) {
								topicOf[n] = metadata.topic();
								partitionOf[n] = metadata.partition();
								offsetOf[n] = metadata.offset();
								acked.incrementAndGet();
							}
						});
			}
			watcher.join(120_000);
		}
		List<Double> latencies = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			if (committedAt[i] > 0) {
				latencies.add((committedAt[i] - sentAt[i]) / 1e6);
			}
		}
		latencies.sort(Double::compare);
		report("steady %,d events/s for %d s: publish->committed p50 %.0f ms, p99 %.0f ms, max %.0f ms (%,d of %,d seen committed)",
				RATE, STEADY_SECONDS, percentile(latencies, 0.50), percentile(latencies, 0.99),
				latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1), latencies.size(), total);
	}

	private static void watchCommits(Admin admin, int total, AtomicInteger acked, String[] topicOf, int[] partitionOf,
			long[] offsetOf, long[] committedAt) {
		int firstPending = 0;
		long deadline = System.currentTimeMillis() + (STEADY_SECONDS + 60) * 1000L;
		try {
			while (firstPending < total && System.currentTimeMillis() < deadline) {
				Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("rebound-ingest")
					.partitionsToOffsetAndMetadata()
					.get();
				long now = System.nanoTime();
				for (int i = firstPending; i < total && topicOf[i] != null; i++) {
					OffsetAndMetadata offset = committed.get(new TopicPartition(topicOf[i], partitionOf[i]));
					if (committedAt[i] < 0 && offset != null && offset.offset() > offsetOf[i]) {
						committedAt[i] = now;
					}
				}
				while (firstPending < total && committedAt[firstPending] > 0) {
					firstPending++;
				}
				Thread.sleep(10);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static double percentile(List<Double> sorted, double p) {
		return sorted.isEmpty() ? Double.NaN
				: sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
	}

	static void produce(String bootstrap, BenchEvents events, long from, long count) {
		try (KafkaProducer<String, byte[]> producer = producer(bootstrap, 20)) {
			for (long i = from; i < from + count; i++) {
				producer.send(new ProducerRecord<>("rebound.errors." + BenchEvents.severityOf(i), BenchEvents.source(i),
						events.event(i, 0)));
			}
			producer.flush();
		}
	}

	/** Publishes events made beforehand, event {@code from} first. */
	static void send(String bootstrap, long from, byte[][] values) {
		try (KafkaProducer<String, byte[]> producer = producer(bootstrap, 20)) {
			for (int i = 0; i < values.length; i++) {
				producer.send(new ProducerRecord<>("rebound.errors." + BenchEvents.severityOf(from + i),
						BenchEvents.source(from + i), values[i]));
			}
			producer.flush();
		}
	}

	private static KafkaProducer<String, byte[]> producer(String bootstrap, int lingerMs) {
		Properties config = new Properties();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
		config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
		return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
	}

	static void createTopics(String bootstrap) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
			List<NewTopic> topics = new ArrayList<>();
			for (String topic : TOPICS) {
				topics.add(new NewTopic(topic, PARTITIONS, (short) 1));
				topics.add(new NewTopic(topic + "-dlt", PARTITIONS, (short) 1));
			}
			admin.createTopics(topics).all().get();
			// producing before every partition has a leader makes idempotent producers
			// stumble
			List<String> names = topics.stream().map(NewTopic::name).toList();
			long deadline = System.currentTimeMillis() + 30_000;
			while (!admin.describeTopics(names)
				.allTopicNames()
				.get()
				.values()
				.stream()
				.allMatch(
						(d) -> d.partitions().stream().allMatch((p) -> p.leader() != null && !p.leader().isEmpty()))) {
				if (System.currentTimeMillis() > deadline) {
					throw new IllegalStateException("Topics got no leaders in 30 s");
				}
				Thread.sleep(100);
			}
			Thread.sleep(1000);
		}
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	static void report(String format, Object... args) {
		System.out.println("[bench] " + format.formatted(args));
	}

	/** Samples Rebound's heap and CPU once a second. */
	private static final class HeapWatch extends Thread {

		private final ReboundProcess rebound;

		private volatile boolean running = true;

		volatile double maxHeap;

		HeapWatch(ReboundProcess rebound) {
			super("heap-watch");
			this.rebound = rebound;
			setDaemon(true);
		}

		@Override
		public void run() {
			while (this.running) {
				try {
					this.maxHeap = Math.max(this.maxHeap, this.rebound.heapUsed());
					Thread.sleep(1000);
				}
				catch (Exception ex) {
					return;
				}
			}
		}

		void stopWatching() {
			this.running = false;
		}

	}

}
