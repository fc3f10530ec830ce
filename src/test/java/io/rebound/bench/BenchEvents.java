package io.rebound.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic events for the benchmarks: about 600 bytes each, from 100 sources, falling
 * into 500 fingerprints (each source fails in five ways, with changing numbers and ids),
 * with a Python-style timestamp and a traceback in the context.
 */
public final class BenchEvents {

	static final int SOURCES = 100;

	/** The five ways each source fails. */
	public static final int KINDS = 5;

	private static final String[] TYPES = { "connection_error", "timeout", "rate_limited", "worker_crash", "db_error" };

	private static final String[] SEVERITIES = { "critical", "high", "medium", "medium", "low", "low", "info" };

	private static final String[] TEMPLATES = {
			"Connection refused to 10.0.%d.%d:5432 while fetching task %d from the work queue",
			"Request %d to the completion API timed out after %d ms (attempt %d of 5)",
			"Upstream answered 429 Too Many Requests for request id 0x%x; backing off %d s, retry %d",
			"Worker process %d exited with signal 9 after %d tasks; restarting in slot %d",
			"Deadlock detected on table tasks while updating row %d (lock wait %d ms, txn %d)" };

	private final Random random = new Random(42);

	/**
	 * The events' ids: random (version 4, as agents that make their own send them) unless
	 * {@code -Dbench.ids=v7}, as Rebound's clients make them (time-ordered).
	 */
	private static final boolean V7 = "v7".equals(System.getProperty("bench.ids"));

	private static final com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator V7_IDS = com.fasterxml.uuid.Generators
		.timeBasedEpochRandomGenerator();

	/** The error type of failure {@code kind} (0 to {@link #KINDS} - 1). */
	public static String type(int kind) {
		return TYPES[kind];
	}

	/** A message of failure {@code kind}, its numbers drawn from {@code random}. */
	public static String message(int kind, Random random) {
		return TEMPLATES[kind].formatted(random.nextInt(256), random.nextInt(256), random.nextInt(100_000));
	}

	/** Event {@code i}: which source and failure it is follows from {@code i}. */
	byte[] event(long i, long sentAtMicros) {
		int source = (int) (i % SOURCES);
		int kind = (int) ((i / SOURCES) % TEMPLATES.length);
		String message = message(kind, this.random);
		String severity = SEVERITIES[(int) (i % SEVERITIES.length)];
		String json = """
				{"event_id":"%s","source":"agent-%03d","type":"%s","severity":"%s","message":"%s",\
				"timestamp":"2026-11-22T14:03:07.%06d","context":{"sent_at_us":%d,"host":"node-%d",\
				"version":"1.4.2","traceback":"Traceback (most recent call last):\\n  File \\"/srv/agent/loop.py\\", \
				line 88, in run\\n    result = self.step(task)\\n  File \\"/srv/agent/step.py\\", line 41, in step\\n    \
				raise %s(message)\\n"}}"""
			.formatted(V7 ? V7_IDS.generate() : UUID.randomUUID(), source, TYPES[kind], severity, message,
					(int) (i % 1_000_000), sentAtMicros, source % 7, TYPES[kind]);
		return json.getBytes(StandardCharsets.UTF_8);
	}

	static String severityOf(long i) {
		return SEVERITIES[(int) (i % SEVERITIES.length)];
	}

	static String source(long i) {
		return "agent-%03d".formatted(i % SOURCES);
	}

}
