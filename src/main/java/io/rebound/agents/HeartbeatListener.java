package io.rebound.agents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.rebound.ingest.DeadLetterReason;
import io.rebound.ingest.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads heartbeats from {@code <prefix>.heartbeats} in batches, keyed by agent id (or
 * with {@code agent_id} in the body), and applies them; offsets are committed after the
 * database commit. Unreadable heartbeats are dead-lettered like events.
 */
@Component
class HeartbeatListener {

	static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private final HealthTracker tracker;

	private final DeadLetters deadLetters;

	private final JsonMapper json;

	HeartbeatListener(HealthTracker tracker, DeadLetters deadLetters, JsonMapper json) {
		this.tracker = tracker;
		this.deadLetters = deadLetters;
		this.json = json;
	}

	@KafkaListener(id = "rebound-heartbeats", groupId = "rebound-heartbeats", topics = "#{@ingestTopics.heartbeats()}",
			batch = "true")
	void onBatch(List<ConsumerRecord<String, byte[]>> records) {
		List<Heartbeat> beats = new ArrayList<>(records.size());
		List<ConsumerRecord<String, byte[]>> rejected = new ArrayList<>();
		List<String> reasons = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			try {
				beats.add(read(record));
			}
			catch (IllegalArgumentException | JacksonException ex) {
				rejected.add(record);
				reasons.add(ex.getMessage());
			}
		}
		if (!beats.isEmpty()) {
			this.tracker.heartbeats(beats);
		}
		for (int i = 0; i < rejected.size(); i++) {
			this.deadLetters.send(rejected.get(i), DeadLetterReason.CONTRACT, reasons.get(i));
		}
	}

	private Heartbeat read(ConsumerRecord<String, byte[]> record) {
		JsonNode body = (record.value() == null || record.value().length == 0) ? this.json.createObjectNode()
				: this.json.readTree(record.value());
		if (!body.isObject()) {
			throw new IllegalArgumentException("$: a heartbeat is a JSON object");
		}
		String agentId = body.hasNonNull("agent_id") ? body.get("agent_id").asString() : record.key();
		return Heartbeats.of(agentId, body, Instant.ofEpochMilli(record.timestamp()));
	}

}
