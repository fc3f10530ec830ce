package io.rebound.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Creates Rebound's topics that are missing: at start-up Kafka may not be there yet
 * (start-up does not wait for it), so the topics are checked again every
 * {@code rebound.ingest.topic-check-interval} until they all exist.
 */
@Component
class TopicGuard {

	private static final Logger log = LoggerFactory.getLogger(TopicGuard.class);

	private final KafkaAdmin kafkaAdmin;

	private final Admin admin;

	private final List<String> required = new ArrayList<>();

	private volatile boolean complete;

	TopicGuard(KafkaAdmin kafkaAdmin, Admin kafkaAdminClient, IngestTopics topics) {
		this.kafkaAdmin = kafkaAdmin;
		this.admin = kafkaAdminClient;
		List<String> names = new ArrayList<>(topics.allErrors());
		names.add(topics.heartbeats());
		for (String name : names) {
			this.required.add(name);
			this.required.add(IngestTopics.deadLetter(name));
		}
	}

	@Scheduled(fixedDelayString = IngestProperties.BEAN + ".topicCheckInterval().toMillis()}",
			initialDelayString = IngestProperties.BEAN + ".topicCheckInterval().toMillis()}")
	void ensureTopics() {
		if (this.complete) {
			return;
		}
		try {
			Set<String> existing = this.admin.listTopics().names().get(5, TimeUnit.SECONDS);
			if (existing.containsAll(this.required)) {
				this.complete = true;
				return;
			}
			log.info("Creating Rebound's missing topics");
			this.kafkaAdmin.initialize();
		}
		catch (Exception ex) {
			log.warn("Kafka is not reachable to check Rebound's topics; trying again later: {}", ex.toString());
		}
	}

}
