package io.rebound.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.rebound.ingest.EventContract.Invalid;
import io.rebound.ingest.EventContract.Reading;
import io.rebound.ingest.EventContract.Valid;
import io.rebound.web.ProblemException;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.modulith.NamedInterface;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * How other features put things on the bus, so that everything reaches PostgreSQL by the
 * one ingest path: error events Rebound itself synthesizes, and heartbeats that arrive
 * over REST.
 */
@Component
@NamedInterface("bus")
public class EventBus {

	private final EventContract contract;

	private final EventPublisher publisher;

	private final KafkaTemplate<String, byte[]> plainTemplate;

	private final IngestTopics topics;

	private final Duration timeout;

	EventBus(EventContract contract, EventPublisher publisher, KafkaTemplate<String, byte[]> plainTemplate,
			IngestTopics topics, IngestProperties properties) {
		this.contract = contract;
		this.publisher = publisher;
		this.plainTemplate = plainTemplate;
		this.topics = topics;
		this.timeout = properties.publishTimeout();
	}

	/**
	 * Publishes an error event (contract v1) and waits for the broker.
	 * @param event the event; one without {@code event_id} gets a random one
	 * @return the error it belongs to
	 * @throws IllegalArgumentException when the event breaks the contract: a bug in the
	 * caller
	 */
	public UUID publishError(ObjectNode event) {
		return publishErrors(List.of(event)).get(0);
	}

	/**
	 * Publishes error events in one transaction: all or none.
	 * @return the errors they belong to, in order
	 */
	public List<UUID> publishErrors(List<ObjectNode> events) {
		List<Valid> valid = new ArrayList<>(events.size());
		for (ObjectNode event : events) {
			Reading reading = this.contract.read(event, EventIds::next, Instant.now());
			if (reading instanceof Invalid invalid) {
				throw new IllegalArgumentException("Rebound built an invalid event: " + invalid.summary());
			}
			valid.add((Valid) reading);
		}
		return this.publisher.publish(valid).stream().map(EventPublisher.Accepted::errorId).toList();
	}

	/**
	 * What is wrong with an error event, or {@code null} when it meets the contract.
	 */
	public String violation(ObjectNode event) {
		return (this.contract.read(event, EventIds::next, Instant.now()) instanceof Invalid invalid) ? invalid.summary()
				: null;
	}

	/**
	 * Publishes a heartbeat (keyed by agent id) and waits for the broker.
	 * @throws ProblemException 503 when the broker does not acknowledge in time
	 */
	public void publishHeartbeat(String agentId, byte[] heartbeat) {
		try {
			this.plainTemplate.send(new ProducerRecord<>(this.topics.heartbeats(), agentId, heartbeat))
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable();
		}
		catch (Exception ex) {
			throw unavailable();
		}
	}

	private static ProblemException unavailable() {
		return ProblemException.unavailable("kafka-unavailable", "Event bus unavailable",
				"Kafka did not acknowledge the heartbeat in time. Send it again later.", Duration.ofSeconds(5));
	}

}
