package io.rebound;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Rebound on embedded defaults, for {@code ./mvnw spring-boot:test-run}: an in-process
 * Kafka broker (KRaft) on localhost:9092 and the database {@code rebound} on the local
 * PostgreSQL (created when missing), or an embedded PostgreSQL when none answers.
 */
public final class LocalRebound {

	private static final Logger log = LoggerFactory.getLogger(LocalRebound.class);

	private LocalRebound() {
	}

	public static void main(String[] args) {
		int kafkaPort = Integer.getInteger("rebound.local.kafka-port", 9092);
		EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(kafkaPort)
			.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr",
					"1", "log.dir", System.getProperty("java.io.tmpdir") + "/rebound-local-kafka"));
		kafka.afterPropertiesSet();
		TestPostgres.Server postgres = TestPostgres.server();
		TestPostgres.ensureDatabase("rebound");
		log.info("Local Rebound: Kafka at {}, PostgreSQL: {}", kafka.getBrokersAsString(), postgres.kind());
		SpringApplication application = new SpringApplication(Rebound.class);
		application.setDefaultProperties(Map.of("spring.kafka.bootstrap-servers", kafka.getBrokersAsString(),
				"spring.datasource.url", postgres.url("rebound"), "spring.datasource.username", postgres.user(),
				"spring.datasource.password", postgres.password()));
		application.run(args);
	}

}
