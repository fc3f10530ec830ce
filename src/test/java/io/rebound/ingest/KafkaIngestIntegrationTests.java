package io.rebound.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.rebound.IntegrationTest;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Agents publishing straight to the severity topics, as most do.
 */
@IntegrationTest
class KafkaIngestIntegrationTests {

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@Autowired
	ErrorEventListener listener;

	@Autowired
	MeterRegistry meters;

	String agent;

	@BeforeEach
	void setUp() {
		this.agent = "worker-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void aPoisonRecordMidBatchIsDeadLetteredWhileTheRestLand() {
		try (Producer<String, byte[]> producer = producer()) {
			producer.send(record("rebound.errors.low", event(UUID.randomUUID(), "disk 91% full")));
			producer.send(record("rebound.errors.low", "{this is not json".getBytes(StandardCharsets.UTF_8)));
			producer.send(record("rebound.errors.low",
					("{\"source\":\"" + this.agent + "\",\"type\":\"t\",\"severity\":\"loud\",\"message\":\"m\"}")
						.getBytes(StandardCharsets.UTF_8)));
			producer.send(record("rebound.errors.low", event(UUID.randomUUID(), "disk 92% full")));
			producer.flush();
		}

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(storedEvents()).isEqualTo(2));
		List<ConsumerRecord<String, byte[]>> dead = deadLetters("rebound.errors.low-dlt", 2);
		assertThat(dead).extracting((r) -> header(r, DeadLetters.REASON_CODE_HEADER))
			.containsExactlyInAnyOrder("unreadable", "contract");
		assertThat(dead).extracting((r) -> header(r, DeadLetters.REASON_HEADER))
			.anySatisfy((reason) -> assertThat(reason).contains("severity"));
		assertThat(dead)
			.allSatisfy((r) -> assertThat(header(r, "kafka_dlt-original-topic")).isEqualTo("rebound.errors.low"));
	}

	@Test
	void theIngestThreadsCpuTimeIsCountedByStage() {
		List<String> stages = List.of("parse", "validate", "normalize", "classify", "store");
		double[] before = stages.stream().mapToDouble(this::stageCpu).toArray();
		try (Producer<String, byte[]> producer = producer()) {
			for (int i = 0; i < 200; i++) {
				producer.send(record("rebound.errors.medium", event(UUID.randomUUID(), "queue " + i + " stalled")));
			}
			producer.flush();
		}

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(storedEvents()).isEqualTo(200));
		// storing is the costliest stage on the Java side; every stage ran on these
		// events
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			for (int i = 0; i < stages.size(); i++) {
				assertThat(stageCpu(stages.get(i))).as(stages.get(i)).isGreaterThan(before[i]);
			}
		});
	}

	private double stageCpu(String stage) {
		return this.meters.get("rebound.ingest.cpu").tag("stage", stage).functionCounter().count();
	}

	@Test
	void theSameBatchReplayedStoresNothingTwice() {
		List<byte[]> batch = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			batch.add(event(UUID.randomUUID(), "queue depth " + i + " over limit"));
		}
		try (Producer<String, byte[]> producer = producer()) {
			for (int round = 0; round < 2; round++) {
				batch.forEach((value) -> producer.send(record("rebound.errors.medium", value)));
				producer.flush();
			}
		}

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(storedEvents()).isEqualTo(20));
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(storedEvents()).isEqualTo(20);
			assertThat(errorCount()).isEqualTo(20);
		});
	}

	@Test
	void eventsWithoutAnIdAreStoredOnceEvenWhenReadTwice() {
		MessageListenerContainer container = this.listeners.getListenerContainer("rebound-ingest");
		container.stop();
		Map<org.apache.kafka.common.TopicPartition, Long> lastOfMine = new java.util.HashMap<>();
		try {
			try (Producer<String, byte[]> producer = producer()) {
				for (int i = 0; i < 10; i++) {
					producer.send(record("rebound.errors.info", event(null, "cache miss storm " + i)));
				}
				producer.flush();
			}
			// a consumer that stores a batch and dies before committing its offsets
			try (Consumer<String, byte[]> crashing = groupConsumer()) {
				crashing.subscribe(List.of("rebound.errors.info"));
				List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
				long deadline = System.currentTimeMillis() + 15_000;
				while (mineOnly(mine) < 10 && System.currentTimeMillis() < deadline) {
					ConsumerRecords<String, byte[]> polled = crashing.poll(Duration.ofMillis(200));
					polled.forEach(mine::add);
				}
				this.listener.onBatch(mine);
				mine.stream()
					.filter((r) -> this.agent.equals(r.key()))
					.forEach((r) -> lastOfMine.merge(
							new org.apache.kafka.common.TopicPartition(r.topic(), r.partition()), r.offset(),
							Math::max));
			}
			assertThat(storedEvents()).isEqualTo(10);
		}
		finally {
			container.start();
		}

		await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(storedEvents()).isEqualTo(10);
			assertThat(errorCount()).isEqualTo(10);
			// the group's offsets move past these records (other tests' transactional
			// records may leave a commit marker behind them, which is not a record)
			assertThat(uncommittedOf(lastOfMine)).isZero();
		});
	}

	@Test
	void anEventPublishedStraightToKafkaIsReceivedOnTheBrokersClockWhateverTheProducerSays() throws Exception {
		try (var admin = org.apache.kafka.clients.admin.Admin
			.create(Map.of("bootstrap.servers", this.broker.getBrokersAsString()))) {
			var topic = new org.apache.kafka.common.config.ConfigResource(
					org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "rebound.errors.low");
			assertThat(
					admin.describeConfigs(List.of(topic)).all().get().get(topic).get("message.timestamp.type").value())
				.isEqualTo("LogAppendTime");
		}
		long anHourAgo = System.currentTimeMillis() - 3_600_000;
		try (Producer<String, byte[]> producer = producer()) {
			// the agent's producer stamps the record an hour ago, and its event says
			// 2026-11-22
			producer.send(new ProducerRecord<>("rebound.errors.low", null, anHourAgo, this.agent,
					event(UUID.randomUUID(), "disk 93% full")));
			producer.flush();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> storedEvents() == 1);
		Map<String, Object> stored = this.jdbc
			.queryForMap("SELECT occurred_at, received_at FROM error_events WHERE source = ?", this.agent);
		assertThat(((java.sql.Timestamp) stored.get("occurred_at")).toInstant())
			.isEqualTo(java.time.Instant.parse("2026-11-22T14:03:07.123456Z"));
		assertThat(((java.sql.Timestamp) stored.get("received_at")).toInstant()).as("the broker's append time")
			.isBetween(java.time.Instant.now().minusSeconds(30), java.time.Instant.now());
	}

	@Test
	void anEventWithAnAgeIsPlacedThatLongBeforeItsAppendTimeAtMostADay() throws Exception {
		try (Producer<String, byte[]> producer = producer()) {
			for (String age : List.of("120000", "2000000000")) {
				producer.send(record("rebound.errors.low",
						("{\"age_ms\":" + age + ",\"source\":\"" + this.agent
								+ "\",\"type\":\"resource_warning\",\"severity\":\"low\",\"message\":\"age " + age
								+ "\",\"timestamp\":\"2026-11-22T14:03:07.123456\"}")
							.getBytes(StandardCharsets.UTF_8)));
			}
			producer.flush();
		}
		java.time.Instant sent = java.time.Instant.now();
		await().atMost(Duration.ofSeconds(10)).until(() -> storedEvents() == 2);
		Map<String, java.time.Instant> received = new java.util.HashMap<>();
		this.jdbc.query("SELECT message, received_at FROM error_events WHERE source = ?",
				(org.springframework.jdbc.core.RowCallbackHandler) (rs) -> received.put(rs.getString(1),
						rs.getTimestamp(2).toInstant()),
				this.agent);
		assertThat(received.get("age 120000")).as("two minutes before its append time")
			.isBetween(sent.minusSeconds(150), sent.minusSeconds(119));
		assertThat(received.get("age 2000000000")).as("a day before, not 23 days")
			.isBetween(sent.minusSeconds(86_430), sent.minusSeconds(86_399));
	}

	private long uncommittedOf(Map<org.apache.kafka.common.TopicPartition, Long> lastOffsets) throws Exception {
		try (var admin = org.apache.kafka.clients.admin.Admin
			.create(Map.of("bootstrap.servers", this.broker.getBrokersAsString()))) {
			var committed = admin.listConsumerGroupOffsets("rebound-ingest").partitionsToOffsetAndMetadata().get();
			return lastOffsets.entrySet()
				.stream()
				.filter((e) -> committed.get(e.getKey()) == null || committed.get(e.getKey()).offset() <= e.getValue())
				.count();
		}
	}

	private long mineOnly(List<ConsumerRecord<String, byte[]>> records) {
		return records.stream().filter((r) -> this.agent.equals(r.key())).count();
	}

	private long storedEvents() {
		return this.jdbc.queryForObject("SELECT count(*) FROM error_events WHERE source = ?", Long.class, this.agent);
	}

	private long errorCount() {
		return this.jdbc.queryForObject("SELECT coalesce(sum(count), 0) FROM errors WHERE source = ?", Long.class,
				this.agent);
	}

	private byte[] event(UUID eventId, String message) {
		String id = (eventId != null) ? "\"event_id\":\"" + eventId + "\"," : "";
		return ("{" + id + "\"source\":\"" + this.agent + "\",\"type\":\"resource_warning\",\"severity\":\"low\","
				+ "\"message\":\"" + message + "\",\"timestamp\":\"2026-11-22T14:03:07.123456\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

	private ProducerRecord<String, byte[]> record(String topic, byte[] value) {
		return new ProducerRecord<>(topic, this.agent, value);
	}

	private Producer<String, byte[]> producer() {
		Map<String, Object> config = KafkaTestUtils.producerProps(this.broker);
		return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer())
			.createProducer();
	}

	private Consumer<String, byte[]> groupConsumer() {
		Map<String, Object> config = KafkaTestUtils.consumerProps(this.broker, "rebound-ingest", false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer())
			.createConsumer();
	}

	private List<ConsumerRecord<String, byte[]>> deadLetters(String topic, int expected) {
		Map<String, Object> config = KafkaTestUtils.consumerProps(this.broker, "test-" + UUID.randomUUID(), false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
		try (Consumer<String, byte[]> consumer = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())
			.createConsumer()) {
			consumer.subscribe(List.of(topic));
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach((r) -> {
					if (this.agent.equals(r.key())) {
						mine.add(r);
					}
				});
				return mine.size() >= expected;
			});
		}
		return mine;
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
