package io.rebound.correlation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

import io.rebound.Settings;
import io.rebound.errors.Category;
import io.rebound.errors.Classifier;
import io.rebound.errors.Severity;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

/**
 * The built-in rules' cost per event in isolation ({@code ./mvnw -Pbench verify
 * -Dtest=ClassifyMicroBenchmark}), on the ingest benchmark's five kinds of message, fresh
 * strings each round as the ingest path has them. Prints figures; asserts nothing.
 */
class ClassifyMicroBenchmark {

	private static final String[] TYPES = { "connection_error", "timeout", "rate_limited", "worker_crash", "db_error" };

	private static final String[] TEMPLATES = {
			"Connection refused to 10.0.%d.%d:5432 while fetching task %d from the work queue",
			"Request %d to the completion API timed out after %d ms (attempt %d of 5)",
			"Upstream answered 429 Too Many Requests for request id 0x%x; backing off %d s, retry %d",
			"Worker process %d exited with signal 9 after %d tasks; restarting in slot %d",
			"Deadlock detected on table tasks while updating row %d (lock wait %d ms, txn %d)" };

	private static final int EVENTS = 10_000;

	@Test
	void classify() {
		RuleCompiler compiler = new RuleCompiler(
				Settings.bind("rebound.correlation", CorrelationProperties.class).incident());
		RuleSet rules = RuleSet.of(1,
				RuleClassifier.read(new ClassPathResource(RuleClassifier.BUILTIN))
					.stream()
					.map(compiler::compile)
					.toList());
		Random random = new Random(1);
		String[] messages = new String[EVENTS];
		for (int i = 0; i < EVENTS; i++) {
			messages[i] = TEMPLATES[i % 5].formatted(random.nextInt(256), random.nextInt(256), random.nextInt(100_000));
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (int round = 1; round <= 30; round++) {
			Classifier.Fields[] events = fresh(messages);
			long cpu = threads.getCurrentThreadCpuTime();
			int matched = 0;
			for (Classifier.Fields event : events) {
				matched += rules.classify(event).matched() ? 1 : 0;
			}
			if (round % 10 == 0) {
				System.out.printf("[bench] classify, round %d: %.2f µs of CPU per event (%d of %d matched a rule)%n",
						round, (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / EVENTS, matched, EVENTS);
			}
		}
		Classifier.Fields[] events = fresh(messages);
		for (int kind = 0; kind < TYPES.length; kind++) {
			long cpu = threads.getCurrentThreadCpuTime();
			for (int i = kind; i < EVENTS; i += TYPES.length) {
				rules.classify(events[i]);
			}
			System.out.printf("[bench]   %s: %.2f µs per event (rule %s)%n", TYPES[kind],
					(threads.getCurrentThreadCpuTime() - cpu) / 1e3 / (EVENTS / TYPES.length),
					rules.classify(events[kind]).ruleId());
		}
	}

	private static Classifier.Fields[] fresh(String[] messages) {
		Classifier.Fields[] events = new Classifier.Fields[messages.length];
		for (int i = 0; i < messages.length; i++) {
			events[i] = new Classifier.Fields("agent-" + (i % 100), TYPES[i % 5], Severity.HIGH, Category.UNKNOWN,
					new String(messages[i].toCharArray()), (JsonNode) null);
		}
		return events;
	}

}
