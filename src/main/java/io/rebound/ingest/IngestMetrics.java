package io.rebound.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rebound.errors.ReceivedEvent;
import io.rebound.errors.BatchRecorded;
import io.rebound.errors.Severity;

import org.springframework.stereotype.Component;

/**
 * The ingest path's meters, {@code rebound.ingest.*}, tagged only by severity or reason.
 */
@Component
class IngestMetrics {

	/** The Kafka ingest path's stages, each timed over a whole batch. */
	enum Stage {

		/** Reading the records' JSON. */
		PARSE,
		/** Checking them against the contract. */
		VALIDATE,
		/** Normalizing the message and hashing the fingerprint. */
		NORMALIZE,
		/** Inferring the category and running the correlation rules. */
		CLASSIFY,
		/**
		 * Noise limits, the database transaction (its Java side: PostgreSQL's own time is
		 * not in it), dead letters and these metrics.
		 */
		STORE;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final MeterRegistry registry;

	private final LongAdder[] cpuNanos = new LongAdder[Stage.values().length];

	private final Map<Severity, Counter> ingested = new EnumMap<>(Severity.class);

	private final Counter duplicates;

	private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();

	private final DistributionSummary batchSize;

	private final Timer lag;

	private final Counter newErrors;

	private final Counter regressedErrors;

	private final Counter suppressed;

	IngestMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (Severity severity : Severity.values()) {
			this.ingested.put(severity,
					Counter.builder("rebound.ingest.events")
						.description("Events stored for the first time")
						.tag("severity", severity.wire())
						.register(registry));
		}
		this.duplicates = Counter.builder("rebound.ingest.duplicates")
			.description("Events dropped because their event_id was already stored")
			.register(registry);
		this.batchSize = DistributionSummary.builder("rebound.ingest.batch.size")
			.description("Records per consumed batch")
			.publishPercentileHistogram()
			.register(registry);
		this.lag = Timer.builder("rebound.ingest.lag")
			.description("From the record's publish time to the database commit that stored it")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(5))
			.register(registry);
		this.newErrors = Counter.builder("rebound.errors.new")
			.description("Errors (fingerprints) seen for the first time")
			.register(registry);
		this.regressedErrors = Counter.builder("rebound.errors.regressed")
			.description("Resolved errors that came back")
			.register(registry);
		this.suppressed = Counter.builder("rebound.ingest.suppressed")
			.description("Events over a source's rate or an error's spike limit: counted in their error, not stored")
			.register(registry);
		for (Stage stage : Stage.values()) {
			LongAdder nanos = new LongAdder();
			this.cpuNanos[stage.ordinal()] = nanos;
			FunctionCounter.builder("rebound.ingest.cpu", nanos, (n) -> n.sum() / 1e9)
				.description("CPU time the Kafka ingest threads spent in each stage")
				.tag("stage", stage.tag())
				.baseUnit("seconds")
				.register(registry);
		}
		deadLetterCounter(DeadLetterReason.UNREADABLE);
		deadLetterCounter(DeadLetterReason.CONTRACT);
		deadLetterCounter(DeadLetterReason.TOO_LARGE);
	}

	/** This thread's CPU time so far, in nanoseconds (0 where the JVM cannot tell). */
	static long cpuNow() {
		return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
	}

	/**
	 * Counts the CPU time since {@code since} to {@code stage}.
	 * @return the time now, where the next stage starts
	 */
	long stage(Stage stage, long since) {
		long now = cpuNow();
		this.cpuNanos[stage.ordinal()].add(now - since);
		return now;
	}

	void batch(int records, BatchRecorded result, Instant committedAt) {
		this.batchSize.record(records);
		this.duplicates.increment(result.duplicates());
		this.newErrors.increment(result.newErrors());
		this.regressedErrors.increment(result.regressedErrors());
		this.suppressed.increment(result.suppressed());
		for (ReceivedEvent received : result.stored()) {
			this.ingested.get(received.event().severity()).increment();
			this.lag.record(Duration.between(received.arrivedAt(), committedAt));
		}
	}

	void deadLettered(DeadLetterReason reason) {
		deadLetterCounter(reason).increment();
	}

	private Counter deadLetterCounter(DeadLetterReason reason) {
		return this.deadLettered.computeIfAbsent(reason.tag(),
				(tag) -> Counter.builder("rebound.ingest.dead.letters")
					.description("Records sent to a dead-letter topic")
					.tag("reason", tag)
					.register(this.registry));
	}

}
