package io.rebound.correlation;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

import io.rebound.Settings;
import io.rebound.bench.BenchEvents;
import io.rebound.errors.Category;
import io.rebound.errors.Classifier;
import io.rebound.errors.Severity;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

/**
 * The built-in rules' cost per event in isolation ({@code ./mvnw -Pbench verify
 * -Dtest=ClassifyMicroBenchmark}), on the ingest benchmark's five kinds of message, fresh
 * strings each round as the ingest path has them, then with the caches cooled between
 * batches, then per kind. Prints figures; asserts nothing.
 */
class ClassifyMicroBenchmark {

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
			messages[i] = BenchEvents.message(i % BenchEvents.KINDS, random);
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
		// the same, with 16 MB read between batches of 100 events, as the ingest path's
		// other stages and threads do to the caches
		long[] other = new long[2 * 1024 * 1024];
		long sink = 0;
		for (int round = 1; round <= 10; round++) {
			Classifier.Fields[] events = fresh(messages);
			long cpu = 0;
			for (int from = 0; from < EVENTS; from += 100) {
				for (int i = 0; i < other.length; i += 8) {
					sink += other[i]++;
				}
				long start = threads.getCurrentThreadCpuTime();
				for (int i = from; i < from + 100; i++) {
					rules.classify(events[i]);
				}
				cpu += threads.getCurrentThreadCpuTime() - start;
			}
			if (round % 5 == 0) {
				System.out
					.printf("[bench] classify, caches cooled between batches of 100, round %d: %.2f µs of CPU per "
							+ "event (%d)%n", round, cpu / 1e3 / EVENTS, sink % 2);
			}
		}
		Classifier.Fields[] events = fresh(messages);
		for (int kind = 0; kind < BenchEvents.KINDS; kind++) {
			long cpu = threads.getCurrentThreadCpuTime();
			for (int i = kind; i < EVENTS; i += BenchEvents.KINDS) {
				rules.classify(events[i]);
			}
			System.out.printf("[bench]   %s: %.2f µs per event (rule %s)%n", BenchEvents.type(kind),
					(threads.getCurrentThreadCpuTime() - cpu) / 1e3 / (EVENTS / BenchEvents.KINDS),
					rules.classify(events[kind]).ruleId());
		}
	}

	private static Classifier.Fields[] fresh(String[] messages) {
		Classifier.Fields[] events = new Classifier.Fields[messages.length];
		for (int i = 0; i < messages.length; i++) {
			events[i] = new Classifier.Fields("agent-" + (i % 100), BenchEvents.type(i % BenchEvents.KINDS),
					Severity.HIGH, Category.UNKNOWN, new String(messages[i].toCharArray()), (JsonNode) null);
		}
		return events;
	}

}
