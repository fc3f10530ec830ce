package io.rebound.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.rebound.ingest.EventContract.Valid;
import io.rebound.web.ProblemException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Publishes validated events to their severity topics in one Kafka transaction
 * ({@code acks=all}): either the broker has every event of a request, or consumers see
 * none of them.
 */
@Component
class EventPublisher {

	private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

	/**
	 * One published event.
	 *
	 * @param eventId its idempotency key
	 * @param errorId the error it belongs to
	 * @param topic where it was published
	 */
	record Accepted(UUID eventId, UUID errorId, String topic) {
	}

	private final KafkaTemplate<String, byte[]> eventTemplate;

	private final IngestTopics topics;

	private final JsonMapper json;

	EventPublisher(KafkaTemplate<String, byte[]> eventTemplate, IngestTopics topics, JsonMapper json) {
		this.eventTemplate = eventTemplate;
		this.topics = topics;
		this.json = json;
	}

	/**
	 * The header with the time Rebound received what it publishes (Unix milliseconds, as
	 * text): the event's arrival on Rebound's clock, whatever the topic's timestamp type.
	 */
	static final String RECEIVED_AT = "rebound-received-at";

	List<Accepted> publish(List<Valid> events) {
		List<Accepted> accepted = new ArrayList<>(events.size());
		byte[] receivedAt = Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
		try {
			this.eventTemplate.executeInTransaction((operations) -> {
				List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(events.size());
				for (Valid valid : events) {
					String topic = this.topics.errors(valid.event().severity());
					ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, valid.event().source(),
							this.json.writeValueAsBytes(valid.payload()));
					record.headers().add(RECEIVED_AT, receivedAt);
					sends.add(operations.send(record));
					accepted.add(new Accepted(valid.event().eventId(), valid.event().errorId(), topic));
				}
				CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
				return null;
			});
		}
		catch (RuntimeException ex) {
			log.warn("Publishing {} events failed; none were accepted: {}", events.size(), ex.toString());
			throw ProblemException.unavailable("kafka-unavailable", "Event bus unavailable",
					"Kafka did not acknowledge the events in time, so none of them was accepted. "
							+ "Send the same request again later; events keep their event_id, so nothing is stored twice.",
					Duration.ofSeconds(5));
		}
		return accepted;
	}

}
