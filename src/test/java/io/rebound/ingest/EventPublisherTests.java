package io.rebound.ingest;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Settings;
import io.rebound.ingest.EventContract.Valid;
import io.rebound.web.ProblemException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventPublisherTests {

	@Test
	void answersServiceUnavailableWhenNoBrokerAcknowledges() throws Exception {
		int deadPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			deadPort = socket.getLocalPort();
		}
		DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + deadPort, ProducerConfig.MAX_BLOCK_MS_CONFIG,
				1500, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
		factory.setTransactionIdPrefix("test-");
		JsonMapper json = JsonMapper.builder().build();
		IngestProperties properties = Settings.bind("rebound.ingest", IngestProperties.class, "partitions=1",
				"publish-timeout=3s", "limits.enabled=false");
		EventPublisher publisher = new EventPublisher(new KafkaTemplate<>(factory), new IngestTopics(properties), json);
		Valid event = (Valid) new EventContract(json).read(
				"{\"source\":\"a\",\"type\":\"t\",\"severity\":\"high\",\"message\":\"m\"}".getBytes(),
				UUID::randomUUID, Instant.now());

		long started = System.nanoTime();
		assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> publisher.publish(List.of(event)))
			.satisfies((ex) -> {
				assertThat(ex.problem().getStatus()).isEqualTo(503);
				assertThat(ex.retryAfter()).isPositive();
			});
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		factory.destroy();
	}

}
