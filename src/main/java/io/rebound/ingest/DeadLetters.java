package io.rebound.ingest;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.springframework.modulith.NamedInterface;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Sends records that cannot become events to {@code <topic>-dlt}, keeping key, value and
 * the original topic, partition and offset (Spring Kafka's headers), plus
 * {@code rebound-dlt-reason-code} and {@code rebound-dlt-reason} saying why. Waits for
 * the broker, so the offset is committed only once the dead letter is safe.
 */
@NamedInterface("bus")
public class DeadLetters {

	static final String REASON_CODE_HEADER = "rebound-dlt-reason-code";

	static final String REASON_HEADER = "rebound-dlt-reason";

	private final DeadLetterPublishingRecoverer recoverer;

	private final IngestMetrics metrics;

	DeadLetters(KafkaOperations<?, ?> template, IngestMetrics metrics) {
		this.recoverer = new DeadLetterPublishingRecoverer(template,
				(record, ex) -> new TopicPartition(IngestTopics.deadLetter(record.topic()), -1));
		this.recoverer.setHeadersFunction((record, ex) -> {
			Rejected rejected = (Rejected) ex;
			RecordHeaders headers = new RecordHeaders();
			headers.add(REASON_CODE_HEADER, rejected.reason.tag().getBytes(StandardCharsets.UTF_8));
			headers.add(REASON_HEADER, rejected.getMessage().getBytes(StandardCharsets.UTF_8));
			return headers;
		});
		this.metrics = metrics;
	}

	/**
	 * Sends the record to its topic's dead-letter topic and waits for the broker.
	 * @param record the record
	 * @param reason {@code unreadable}, {@code contract} or {@code too_large}
	 * @param detail what is wrong, for a person
	 */
	public void send(ConsumerRecord<?, ?> record, DeadLetterReason reason, String detail) {
		this.recoverer.accept(record, new Rejected(reason, detail));
		this.metrics.deadLettered(reason);
	}

	/** Why a record was rejected; never thrown, only handed to the recoverer. */
	static final class Rejected extends RuntimeException {

		private final transient DeadLetterReason reason;

		Rejected(DeadLetterReason reason, String detail) {
			super(detail, null, false, false);
			this.reason = reason;
		}

	}

}
