package io.rebound.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.rebound.errors.ErrorRecorder;
import io.rebound.errors.ReceivedEvent;
import io.rebound.errors.BatchRecorded;
import io.rebound.errors.Fingerprint;
import io.rebound.ingest.EventContract.Checked;
import io.rebound.ingest.EventContract.Invalid;
import io.rebound.ingest.EventContract.Reading;
import io.rebound.ingest.EventContract.Valid;
import io.rebound.ingest.IngestMetrics.Stage;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Drains the severity topics in batches: reads each record against the contract, stores
 * the valid ones in one database transaction, dead-letters the rest, and returns, upon
 * which the container commits the batch's offsets. A failure before that (the database is
 * down) leaves the offsets where they were and the batch is tried again; storing is
 * idempotent, so a replay changes nothing.
 */
@Component
class ErrorEventListener {

	private final EventContract contract;

	private final ErrorRecorder recorder;

	private final DeadLetters deadLetters;

	private final IngestMetrics metrics;

	private final long maxRecordBytes;

	private final SourceLimits limits;

	ErrorEventListener(EventContract contract, ErrorRecorder recorder, DeadLetters deadLetters, IngestMetrics metrics,
			IngestProperties properties) {
		this.contract = contract;
		this.recorder = recorder;
		this.deadLetters = deadLetters;
		this.metrics = metrics;
		this.maxRecordBytes = properties.maxRecordSize().toBytes();
		this.limits = new SourceLimits(properties.limits());
	}

	@KafkaListener(id = "rebound-ingest", topics = "#{@ingestTopics.allErrors()}", batch = "true",
			containerPostProcessor = "platformThreads")
	void onBatch(List<ConsumerRecord<String, byte[]>> records) {
		// stage by stage over the whole batch, so each stage's CPU time is two clock
		// reads
		int n = records.size();
		long cpu = IngestMetrics.cpuNow();
		Object[] parsed = new Object[n];
		for (int i = 0; i < n; i++) {
			parsed[i] = parse(records.get(i));
		}
		cpu = this.metrics.stage(Stage.PARSE, cpu);
		Reading[] readings = new Reading[n];
		for (int i = 0; i < n; i++) {
			ConsumerRecord<String, byte[]> record = records.get(i);
			// an event that names no id gets one from its place in the log, so a replay
			// finds it again
			readings[i] = this.contract.check(parsed[i], () -> idFromPlace(record),
					Instant.ofEpochMilli(record.timestamp()));
		}
		cpu = this.metrics.stage(Stage.VALIDATE, cpu);
		Fingerprint[] fingerprints = new Fingerprint[n];
		for (int i = 0; i < n; i++) {
			if (readings[i] instanceof Checked checked) {
				fingerprints[i] = this.contract.fingerprint(checked);
			}
		}
		cpu = this.metrics.stage(Stage.NORMALIZE, cpu);
		for (int i = 0; i < n; i++) {
			if (readings[i] instanceof Checked checked) {
				readings[i] = this.contract.classify(checked, fingerprints[i]);
			}
		}
		cpu = this.metrics.stage(Stage.CLASSIFY, cpu);
		List<ReceivedEvent> valid = new ArrayList<>(n);
		List<ConsumerRecord<String, byte[]>> rejected = new ArrayList<>();
		List<Invalid> reasons = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			ConsumerRecord<String, byte[]> record = records.get(i);
			if (readings[i] instanceof Valid ok) {
				// when the agent reported it: its arrival, less the time the agent held
				// it
				long age = Math.min(ok.ageMs(), MAX_AGE_MS);
				long receivedAt = receivedAt(record) - age;
				valid.add(new ReceivedEvent(ok.event(), record.topic(), record.partition(), record.offset(),
						Instant.ofEpochMilli(receivedAt), this.limits.admit(ok.event(), receivedAt), age));
			}
			else {
				rejected.add(record);
				reasons.add((Invalid) readings[i]);
			}
		}
		BatchRecorded result = this.recorder.record(valid);
		this.metrics.batch(n, result, Instant.now());
		for (int i = 0; i < rejected.size(); i++) {
			ConsumerRecord<String, byte[]> record = rejected.get(i);
			Invalid invalid = reasons.get(i);
			this.deadLetters.send(record, invalid.reason(), invalid.summary());
		}
		this.metrics.stage(Stage.STORE, cpu);
	}

	/**
	 * How far back an event's {@code age_ms} may place it: a day. An agent's spool can
	 * hold older events; they count as a day old.
	 */
	static final long MAX_AGE_MS = 86_400_000L;

	/**
	 * When the record reached the bus, never by the agent's clock: the time Rebound
	 * received it when Rebound published it (REST, synthesized events, log files), else
	 * the broker's append time on a {@code LogAppendTime} topic (Rebound creates its
	 * topics so), else — on a topic someone created with {@code CreateTime}, whose
	 * timestamps are the producer's — the time Rebound reads it.
	 */
	static long receivedAt(ConsumerRecord<?, ?> record) {
		Header header = record.headers().lastHeader(EventPublisher.RECEIVED_AT);
		if (header != null) {
			try {
				return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
			}
			catch (NumberFormatException ex) {
				// not ours after all: fall through
			}
		}
		return (record.timestampType() == TimestampType.LOG_APPEND_TIME) ? record.timestamp()
				: System.currentTimeMillis();
	}

	private Object parse(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			return Invalid.of(DeadLetterReason.UNREADABLE, "$", "is empty (a record without a value)");
		}
		if (record.value().length > this.maxRecordBytes) {
			return Invalid.of(DeadLetterReason.TOO_LARGE, "$",
					"the record is " + record.value().length + " bytes; at most " + this.maxRecordBytes + " are read");
		}
		return this.contract.parse(record.value());
	}

	private static UUID idFromPlace(ConsumerRecord<?, ?> record) {
		return UUID.nameUUIDFromBytes(
				(record.topic() + "/" + record.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8));
	}

}
