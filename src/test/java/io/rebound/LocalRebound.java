package io.rebound;

import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;

/**
 * Rebound on embedded defaults, for {@code ./mvnw spring-boot:test-run} (with
 * {@code --fleet-demo}, as {@code -Pdemo} gives it, the fleet demo instead): an
 * in-process Kafka broker (KRaft) on localhost:9092 keeping its log in
 * {@code target/local-kafka}, and the database {@code rebound} on the local PostgreSQL
 * (created when missing), or an embedded PostgreSQL when none answers.
 */
public final class LocalRebound {

	private static final Logger log = LoggerFactory.getLogger(LocalRebound.class);

	private LocalRebound() {
	}

	public static void main(String[] args) throws Exception {
		if (java.util.Arrays.asList(args).contains("--fleet-demo")) {
			// ./mvnw -q -Pdemo spring-boot:test-run
			io.rebound.fleet.FleetDemo.run();
			return;
		}
		int kafkaPort = Integer.getInteger("rebound.local.kafka-port", 9092);
		Path kafkaData = Path.of(System.getProperty("rebound.local.kafka-dir", "target/local-kafka"));
		LocalKafka kafka = LocalKafka.start(kafkaPort, kafkaData);
		Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "local-kafka-shutdown"));
		TestPostgres.Server postgres = TestPostgres.server();
		TestPostgres.ensureDatabase("rebound");
		log.info("Local Rebound: Kafka at {}, PostgreSQL: {}", kafka.bootstrapServers(), postgres.kind());
		SpringApplication application = new SpringApplication(Rebound.class);
		application.setDefaultProperties(Map.of("spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
				"spring.datasource.url", postgres.url("rebound"), "spring.datasource.username", postgres.user(),
				"spring.datasource.password", postgres.password(),
				// the local run is for development: authentication off (Rebound warns
				// loudly); --rebound.security.enabled=true turns it on
				"rebound.security.enabled", "false"));
		application.run(args);
	}

}
