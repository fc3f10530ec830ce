package io.rebound.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.rebound.LocalKafka;
import io.rebound.TestPostgres;
import io.rebound.client.ReboundClient;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

/**
 * What the agent clients cost their agents ({@code ./mvnw -Pbench verify
 * -Dtest=ClientOverheadBenchmark}), against a live Rebound in its own JVM: the Java
 * client's {@code report} on the caller's thread with the transport up and down, its
 * background CPU at 100 events/s, its heap while Rebound is away — then the Python
 * client's own benchmark ({@code clients/python/bench/overhead.py}) against the same
 * Rebound. Figures only.
 */
class ClientOverheadBenchmark {

	private static final Map<String, Object> CONTEXT = Map.of("request_id", 1, "host", "bench");

	@Test
	void overhead() throws Exception {
		Path work = Path.of("target/bench-clients");
		FileSystemUtils.deleteRecursively(work);
		Files.createDirectories(work);
		String database = TestPostgres.createDatabase("rebound_clients_bench");
		try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"));
				ReboundProcess rebound = ReboundProcess.start(18082, kafka.bootstrapServers(),
						TestPostgres.server().url(database), work.resolve("rebound.log"))) {
			String up = "http://localhost:" + rebound.port();
			for (String transport : new String[] { "up", "down" }) {
				try (ReboundClient client = client("bench-java-" + transport,
						transport.equals("up") ? up : "http://127.0.0.1:9", work)) {
					for (long pace : new long[] { 1_000_000, 0 }) {
						long[] nanos = latencies(client, pace);
						System.out.printf("java report transport=%s, %s: p50 %.2f us, p99 %.2f us, max %.0f us%n",
								transport, (pace > 0) ? "one a millisecond" : "back to back",
								nanos[nanos.length / 2] / 1000.0, nanos[(int) (nanos.length * 0.99)] / 1000.0,
								nanos[nanos.length - 1] / 1000.0);
					}
				}
			}
			backgroundAt100PerSecond(up, work);
			memoryWhileAway(work);
			python(up);
		}
		finally {
			TestPostgres.dropDatabase(database);
		}
	}

	private static ReboundClient client(String id, String url, Path work) throws IOException {
		return ReboundClient.builder()
			.agentId(id)
			.url(url)
			.control(false)
			.heartbeatInterval(Duration.ofSeconds(5))
			.spoolDir(Files.createTempDirectory(work, "spool"))
			.build();
	}

	/**
	 * 20,000 reports to warm up, then 5,000 timed ones, one every {@code pace}
	 * nanoseconds (or back to back).
	 */
	private static long[] latencies(ReboundClient client, long pace) {
		for (int i = 0; i < 20_000; i++) {
			client.report("timeout", "call " + i + " timed out after 30s", "high", CONTEXT);
			if (i % 100 == 0) {
				LockSupport.parkNanos(1_000_000);
			}
		}
		long[] nanos = new long[5_000];
		for (int i = 0; i < nanos.length; i++) {
			String message = "call " + i + " timed out after 30s";
			long started = System.nanoTime();
			client.report("timeout", message, "high", CONTEXT);
			nanos[i] = System.nanoTime() - started;
			if (pace > 0) {
				LockSupport.parkNanos(pace);
			}
		}
		Arrays.sort(nanos);
		return nanos;
	}

	private static void backgroundAt100PerSecond(String url, Path work) throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		try (ReboundClient client = client("bench-java-rate", url, work)) {
			long before = clientCpu(threads);
			long started = System.nanoTime();
			int sent = 0;
			while (System.nanoTime() - started < 10_000_000_000L) {
				client.report("timeout", "call " + sent + " timed out", "low", Map.of("n", sent));
				sent++;
				LockSupport.parkNanos(Math.max(0, started + sent * 10_000_000L - System.nanoTime()));
			}
			boolean delivered = client.flush(Duration.ofSeconds(10));
			double seconds = (System.nanoTime() - started) / 1e9;
			System.out.printf(
					"java at 100 events/s for %.0f s: %d sent, delivered=%s, background threads (worker, heartbeat, "
							+ "HTTP client) %.2f%% of a core%n",
					seconds, sent, delivered, 100.0 * (clientCpu(threads) - before) / 1e9 / seconds);
		}
	}

	private static long clientCpu(ThreadMXBean threads) {
		long total = 0;
		for (long id : threads.getAllThreadIds()) {
			var info = threads.getThreadInfo(id);
			if (info != null && (info.getThreadName().startsWith("rebound-")
					|| info.getThreadName().startsWith("HttpClient-"))) {
				total += Math.max(0, threads.getThreadCpuTime(id));
			}
		}
		return total;
	}

	private static void memoryWhileAway(Path work) throws Exception {
		Runtime runtime = Runtime.getRuntime();
		System.gc();
		long before = runtime.totalMemory() - runtime.freeMemory();
		try (ReboundClient client = ReboundClient.builder()
			.agentId("bench-java-memory")
			.url("http://127.0.0.1:9")
			.control(false)
			.queueSize(10_000)
			.spoolMaxBytes(8L * 1024 * 1024)
			.spoolDir(Files.createTempDirectory(work, "spool"))
			.build()) {
			for (int i = 0; i < 100_000; i++) {
				client.report("timeout", "call " + i + " timed out after 30s", "high", Map.of("request_id", i));
				if (i % 1000 == 0) {
					Thread.sleep(10);
				}
			}
			Thread.sleep(1000);
			System.gc();
			long after = runtime.totalMemory() - runtime.freeMemory();
			System.out.printf(
					"java memory with Rebound away, 100,000 events offered (queue 10,000, spool 8 MiB): heap +%.1f MiB "
							+ "after GC, %s%n",
					(after - before) / 1048576.0, client.stats());
			client.close(Duration.ofMillis(500));
		}
	}

	private static void python(String url) throws Exception {
		String python = new java.io.File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
		ProcessBuilder builder = new ProcessBuilder(python, "bench/overhead.py")
			.directory(Path.of("clients/python").toFile())
			.redirectErrorStream(true);
		builder.environment().put("REBOUND_URL", url);
		Process process = builder.start();
		try (java.io.BufferedReader lines = process.inputReader()) {
			lines.lines().forEach(System.out::println);
		}
		process.waitFor();
	}

}
