package io.rebound.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The topics Rebound owns, the two producers (transactional for REST, so a request is
 * published whole or not at all; plain for dead letters and heartbeats) and the
 * listeners' error handling: a batch that fails to store (the database is away) is
 * retried with growing pauses until it succeeds, never skipped.
 */
@Configuration(proxyBeanMethods = false)
class KafkaIngestConfiguration {

	private static final Logger log = LoggerFactory.getLogger(KafkaIngestConfiguration.class);

	@Bean
	KafkaAdmin.NewTopics reboundTopics(IngestTopics topics, IngestProperties properties) {
		List<NewTopic> all = new ArrayList<>();
		List<String> names = new ArrayList<>(topics.allErrors());
		names.add(topics.heartbeats());
		for (String topic : names) {
			all.add(topic(topic, properties));
			all.add(topic(IngestTopics.deadLetter(topic), properties));
		}
		return new KafkaAdmin.NewTopics(all.toArray(NewTopic[]::new));
	}

	private static NewTopic topic(String name, IngestProperties properties) {
		// the broker stamps each record with its arrival, so decisions never rest on an
		// agent's
		// clock
		return TopicBuilder.name(name)
			.partitions(properties.partitions())
			.replicas(properties.replicationFactor())
			.config(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")
			.build();
	}

	@Bean
	KafkaTemplate<String, byte[]> eventTemplate(KafkaProperties kafka, IngestProperties properties) {
		Map<String, Object> config = producerConfig(kafka, properties);
		DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config);
		// unique per instance: two replicas with one prefix would fence each other's
		// producers
		factory.setTransactionIdPrefix("rebound-publish-" + instanceName() + "-");
		return new KafkaTemplate<>(factory);
	}

	/** Not transactional: for dead letters and heartbeats, one record at a time. */
	@Bean
	KafkaTemplate<String, byte[]> plainTemplate(KafkaProperties kafka, IngestProperties properties) {
		return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producerConfig(kafka, properties)));
	}

	@Bean
	DeadLetters deadLetters(KafkaTemplate<String, byte[]> plainTemplate, IngestMetrics metrics) {
		return new DeadLetters(plainTemplate, metrics);
	}

	@Bean
	CommonErrorHandler ingestErrorHandler() {
		// at most 5 s between tries, so storing resumes within 5 s of PostgreSQL's return
		// (at 30 s, the chaos benchmark waited 33 s after a 30 s outage); a failed try is
		// one refused connection
		ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
		backOff.setMaxInterval(5_000);
		DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> {
			throw new IllegalStateException("unreachable: the back-off never ends", ex);
		}, backOff);
		handler.setRetryListeners((record, ex, attempt) -> log.warn(
				"Storing a batch failed (attempt {}); its offsets stay uncommitted and it will be tried again: {}",
				attempt, ex.getMessage()));
		return handler;
	}

	/**
	 * The ingest consumers run on platform threads: a poll loop that lives as long as the
	 * application gains nothing from a virtual thread, and only a platform thread's CPU
	 * time can be read ({@code rebound.ingest.cpu}).
	 */
	@Bean
	ContainerPostProcessor<String, byte[], AbstractMessageListenerContainer<String, byte[]>> platformThreads() {
		return (container) -> container.getContainerProperties()
			.setListenerTaskExecutor(new SimpleAsyncTaskExecutor(container.getListenerId() + "-"));
	}

	@Bean(destroyMethod = "close")
	Admin kafkaAdminClient(KafkaAdmin admin) {
		return Admin.create(admin.getConfigurationProperties());
	}

	private static Map<String, Object> producerConfig(KafkaProperties kafka, IngestProperties properties) {
		Map<String, Object> config = kafka.buildProducerProperties();
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		int timeout = (int) properties.publishTimeout().toMillis();
		config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout / 2);
		config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout / 2);
		config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
		return config;
	}

	private static String instanceName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "host";
		}
		return host + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
