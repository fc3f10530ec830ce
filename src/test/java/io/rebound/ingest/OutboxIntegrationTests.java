package io.rebound.ingest;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.rebound.Settings;
import io.rebound.Http;
import io.rebound.IntegrationTest;
import io.rebound.TestPostgres;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox keeps an event while Kafka does not take it and publishes it once Kafka
 * does. It runs on an outbox database of its own (so the application's scheduled outbox
 * does not race it), first against a broker that is not there, then against the real one.
 */
@IntegrationTest
class OutboxIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	EventBus bus;

	@Autowired
	JsonMapper json;

	String database;

	JdbcTemplate jdbc;

	TransactionTemplate transaction;

	DefaultKafkaProducerFactory<String, byte[]> deadFactory;

	@BeforeEach
	void setUp() {
		this.database = TestPostgres.createDatabase("rebound_outbox");
		TestPostgres.Server server = TestPostgres.server();
		DriverManagerDataSource dataSource = new DriverManagerDataSource(server.url(this.database), server.user(),
				server.password());
		Flyway.configure().dataSource(dataSource).load().migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
	}

	@AfterEach
	void tearDown() {
		if (this.deadFactory != null) {
			this.deadFactory.destroy();
		}
		TestPostgres.dropDatabase(this.database);
	}

	@Test
	void keepsAnEventWhileKafkaIsAwayAndPublishesItWhenKafkaIsBack() throws Exception {
		String agent = "outboxed-" + UUID.randomUUID().toString().substring(0, 8);
		ObjectNode event = this.json.createObjectNode();
		event.put("event_id", UUID.randomUUID().toString());
		event.put("source", agent);
		event.put("type", "heartbeat_timeout");
		event.put("severity", "critical");
		event.put("message", "Agent " + agent + " is failed");
		Outbox away = new Outbox(this.jdbc, deadBus(), this.json);
		this.transaction.executeWithoutResult((status) -> away.add(event));

		away.publishPending();

		assertThat(away.pending()).isEqualTo(1);
		assertThat(this.jdbc.queryForObject("SELECT last_error FROM outbox", String.class)).isNotBlank();

		Outbox back = new Outbox(this.jdbc, this.bus, this.json);
		back.publishPending();

		assertThat(back.pending()).isZero();
		Http http = new Http(this.port);
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(http.get("/api/errors?source=" + agent).json().get("items")).hasSize(1));
	}

	@Test
	void anEventThatBreaksTheContractIsSetAsideAndTheOthersGoOn() {
		String agent = "outboxed-" + UUID.randomUUID().toString().substring(0, 8);
		ObjectNode broken = this.json.createObjectNode();
		broken.put("source", agent);
		broken.put("type", "heartbeat_timeout");
		broken.put("severity", "dire");
		broken.put("message", "a bug built this");
		ObjectNode event = broken.deepCopy();
		event.put("event_id", UUID.randomUUID().toString());
		event.put("severity", "critical");
		event.put("message", "Agent " + agent + " is failed");
		Outbox outbox = new Outbox(this.jdbc, this.bus, this.json);
		this.transaction.executeWithoutResult((status) -> {
			outbox.add(broken);
			outbox.add(event);
		});

		outbox.publishPending();

		assertThat(outbox.pending()).isZero();
		assertThat(this.jdbc.queryForObject("SELECT last_error FROM outbox WHERE refused_at IS NOT NULL", String.class))
			.startsWith("refused: ")
			.contains("severity");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL", Long.class))
			.isEqualTo(1);
		Http http = new Http(this.port);
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(http.get("/api/errors?source=" + agent).json().get("items")).hasSize(1));
	}

	private EventBus deadBus() throws Exception {
		int deadPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			deadPort = socket.getLocalPort();
		}
		this.deadFactory = new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				"127.0.0.1:" + deadPort, ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
		this.deadFactory.setTransactionIdPrefix("dead-");
		IngestProperties properties = Settings.bind("rebound.ingest", IngestProperties.class, "partitions=1",
				"publish-timeout=2s", "limits.enabled=false");
		IngestTopics topics = new IngestTopics(properties);
		KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(this.deadFactory);
		EventContract contract = new EventContract(this.json);
		return new EventBus(contract, new EventPublisher(template, topics, this.json), template, topics, properties);
	}

}
