package io.rebound.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.rebound.Http;
import io.rebound.LocalKafka;
import io.rebound.TestPostgres;
import io.rebound.client.ReboundClient;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

/**
 * What a checkpoint costs an agent ({@code ./mvnw -Pbench verify
 * -Dtest=CheckpointBenchmark}), against a live Rebound in its own JVM while it takes 500
 * error events a second and eight other agents save 1 KiB checkpoints back to back: for 1
 * KiB and 64 KiB states, the Java client's {@code saveCheckpoint} on the caller's thread,
 * a save until Rebound has stored it (the future completes), and a {@code loadCheckpoint}
 * (a round trip, SHA-256 checked). The seeds' target is under 100 ms. Figures only.
 */
class CheckpointBenchmark {

	@Test
	void checkpoints() throws Exception {
		Path work = Path.of("target/bench-checkpoints");
		FileSystemUtils.deleteRecursively(work);
		Files.createDirectories(work);
		String database = TestPostgres.createDatabase("rebound_checkpoint_bench");
		AtomicBoolean loading = new AtomicBoolean(true);
		List<Thread> load = new ArrayList<>();
		try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"));
				ReboundProcess rebound = ReboundProcess.start(18083, kafka.bootstrapServers(),
						TestPostgres.server().url(database), work.resolve("rebound.log"))) {
			String url = "http://localhost:" + rebound.port();
			Http http = new Http(rebound.port());
			AtomicLong events = new AtomicLong();
			load.add(Thread.ofPlatform().name("bench-events").start(() -> {
				long next = System.nanoTime();
				while (loading.get()) {
					// 500 a second: a batch of 50 every 100 ms
					List<Map<String, Object>> batch = new ArrayList<>();
					for (int e = 0; e < 50; e++) {
						batch.add(Map.of("source", "bench-noise-" + (e % 10), "type", "timeout", "severity", "medium",
								"message", "call " + events.incrementAndGet() + " timed out"));
					}
					http.post("/api/errors", Http.json(batch));
					next += 100_000_000;
					long wait = next - System.nanoTime();
					if (wait > 0) {
						java.util.concurrent.locks.LockSupport.parkNanos(wait);
					}
				}
			}));
			AtomicLong others = new AtomicLong();
			String small = "x".repeat(1000);
			for (int i = 0; i < 8; i++) {
				String agent = "bench-other-" + i;
				http.post("/api/agents", Http.json(Map.of("id", agent)));
				load.add(Thread.ofPlatform().name(agent).start(() -> {
					while (loading.get()) {
						http.put("/api/agents/" + agent + "/checkpoints/job", "{\"pad\":\"" + small + "\"}");
						others.incrementAndGet();
					}
				}));
			}
			try (ReboundClient client = ReboundClient.builder()
				.agentId("bench-checkpointer")
				.url(url)
				.control(false)
				.spoolDir(Files.createTempDirectory(work, "spool"))
				.build()) {
				http.post("/api/agents", Http.json(Map.of("id", "bench-checkpointer")));
				long othersBefore = others.get();
				long eventsBefore = events.get();
				long started = System.nanoTime();
				for (int size : new int[] { 1024, 64 * 1024 }) {
					measure(client, size);
				}
				double seconds = (System.nanoTime() - started) / 1e9;
				System.out.printf("under load meanwhile: %.0f other checkpoints/s, %.0f events/s%n",
						(others.get() - othersBefore) / seconds, (events.get() - eventsBefore) / seconds);
			}
		}
		finally {
			loading.set(false);
			for (Thread thread : load) {
				thread.join(5000);
			}
			TestPostgres.dropDatabase(database);
		}
	}

	private static void measure(ReboundClient client, int size) throws Exception {
		Map<String, Object> state = Map.of("done", List.of("fetch", "clean"), "pad", "y".repeat(size - 40));
		String task = "task-" + size;
		int warm = 100;
		int timed = 500;
		long[] call = new long[timed];
		long[] stored = new long[timed];
		long[] loaded = new long[timed];
		for (int i = 0; i < warm + timed; i++) {
			long t0 = System.nanoTime();
			var future = client.saveCheckpoint(task, state);
			long t1 = System.nanoTime();
			future.get(30, TimeUnit.SECONDS);
			long t2 = System.nanoTime();
			client.loadCheckpoint(task).orElseThrow();
			long t3 = System.nanoTime();
			if (i >= warm) {
				call[i - warm] = t1 - t0;
				stored[i - warm] = t2 - t0;
				loaded[i - warm] = t3 - t2;
			}
		}
		print(size, "saveCheckpoint on the caller's thread", call, 1000.0, "us");
		print(size, "save until stored", stored, 1_000_000.0, "ms");
		print(size, "load (round trip, hash checked)", loaded, 1_000_000.0, "ms");
	}

	private static void print(int size, String what, long[] nanos, double unit, String name) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		System.out.printf("checkpoint %d KiB, %s: p50 %.2f %s, p99 %.2f %s, max %.2f %s%n", size / 1024, what,
				sorted[sorted.length / 2] / unit, name, sorted[(int) (sorted.length * 0.99)] / unit, name,
				sorted[sorted.length - 1] / unit, name);
	}

}
