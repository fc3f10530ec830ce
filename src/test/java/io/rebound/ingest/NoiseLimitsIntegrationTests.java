package io.rebound.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An error in a loop: beyond the per-error limit its events are counted in the error but
 * not stored one by one (a sample is), the source's suppressed count says how many, and
 * reading the batch again after a crash changes nothing.
 */
@IntegrationTest
class NoiseLimitsIntegrationTests {

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	ErrorEventListener listener;

	@LocalServerPort
	int port;

	@Test
	void anErrorInALoopIsCountedWholeButStoredOnlyUpToItsLimitAndASample() throws Exception {
		String agent = "looper-" + UUID.randomUUID().toString().substring(0, 8);
		// all in one minute of the records' own clock: 300 stored, 100 over, of which
		// every
		// 100th is kept as a sample
		long minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).toEpochMilli() + 30_000;
		// the budget is per minute of the broker's clock (Rebound's topics stamp each
		// record on arrival): sending across a minute's end would split it in two
		long intoMinute = System.currentTimeMillis() % 60_000;
		if (intoMinute > 45_000) {
			Thread.sleep(60_000 - intoMinute + 100);
		}
		List<ConsumerRecord<String, byte[]>> sent = new ArrayList<>();
		try (Producer<String, byte[]> producer = producer()) {
			for (int i = 0; i < 400; i++) {
				byte[] value = ("{\"source\":\"" + agent + "\",\"type\":\"poll_error\",\"severity\":\"low\","
						+ "\"message\":\"queue poll failed, attempt " + i + "\"}")
					.getBytes(StandardCharsets.UTF_8);
				RecordMetadata at = producer
					.send(new ProducerRecord<>("rebound.errors.low", null, minute + i, agent, value))
					.get();
				sent.add(new ConsumerRecord<>(at.topic(), at.partition(), at.offset(), minute + i,
						TimestampType.CREATE_TIME, agent.length(), value.length, agent, value, new RecordHeaders(),
						java.util.Optional.empty()));
			}
		}
		Http http = new Http(this.port);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(errorOf(http, agent).get("count").asLong()).isEqualTo(400));

		JsonNode error = errorOf(http, agent);
		assertThat(error.get("suppressed").asLong()).isEqualTo(99);
		assertThat(storedEvents(agent)).isEqualTo(301);
		JsonNode suppressed = http.get("/api/diagnostics").json().get("errors").get("suppressed");
		assertThat(suppressed.valueStream().filter((s) -> s.get("source").asString().equals(agent))).singleElement()
			.satisfies((s) -> {
				assertThat(s.get("reason").asString()).isEqualTo("error_spike");
				assertThat(s.get("count").asLong()).isEqualTo(99);
			});

		// a consumer that crashed before committing its offsets reads them all again
		this.listener.onBatch(sent);

		assertThat(errorOf(http, agent).get("count").asLong()).isEqualTo(400);
		assertThat(storedEvents(agent)).isEqualTo(301);
		assertThat(this.jdbc.queryForObject("SELECT count FROM suppressed_events WHERE source = ?", Long.class, agent))
			.isEqualTo(99);
	}

	private JsonNode errorOf(Http http, String agent) {
		JsonNode items = http.get("/api/errors?source=" + agent).json().get("items");
		return items.isEmpty() ? JsonNodeMissing.zeroCount()
				: http.get("/api/errors/" + items.get(0).get("id").asString()).json();
	}

	private long storedEvents(String agent) {
		return this.jdbc.queryForObject("SELECT count(*) FROM error_events WHERE source = ?", Long.class, agent);
	}

	private Producer<String, byte[]> producer() {
		Map<String, Object> config = KafkaTestUtils.producerProps(this.broker);
		return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer())
			.createProducer();
	}

	private static final class JsonNodeMissing {

		static JsonNode zeroCount() {
			return tools.jackson.databind.json.JsonMapper.builder().build().readTree("{\"count\":0}");
		}

	}

}
