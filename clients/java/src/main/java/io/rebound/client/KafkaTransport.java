package io.rebound.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Events to {@code <prefix>.errors.<severity>} and heartbeats to
 * {@code <prefix>.heartbeats}, keyed by the agent id, through {@code kafka-clients}
 * (idempotent, {@code acks=all}). Registration still goes over REST. Loaded only when the
 * Kafka transport is chosen, so {@code kafka-clients} is needed only then.
 */
final class KafkaTransport implements Transport {

	private static final Pattern SEVERITY = Pattern.compile("\"severity\":\"([a-z]+)\"");

	private final KafkaProducer<byte[], byte[]> producer;

	private final String prefix;

	private final byte[] key;

	private final HttpTransport http;

	private final Duration timeout;

	KafkaTransport(String bootstrap, String prefix, String agentId, HttpTransport http, Duration timeout,
			Map<String, Object> settings) {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
		properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
		// delivery.timeout.ms must cover linger.ms + request.timeout.ms
		properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis() / 2, 30_000));
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
		properties.putAll(settings);
		this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
		this.prefix = prefix;
		this.key = agentId.getBytes(StandardCharsets.UTF_8);
		this.http = http;
		this.timeout = timeout;
	}

	private void publish(List<ProducerRecord<byte[], byte[]>> records) throws RetryLater {
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		try {
			for (ProducerRecord<byte[], byte[]> record : records) {
				sent.add(this.producer.send(record));
			}
			for (Future<RecordMetadata> future : sent) {
				future.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RetryLater("interrupted", null);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			throw new RetryLater("Kafka: " + ex, null);
		}
	}

	@Override
	public void sendEvents(List<String> events) throws RetryLater {
		List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
		for (String event : events) {
			Matcher severity = SEVERITY.matcher(event);
			String topic = this.prefix + ".errors." + (severity.find() ? severity.group(1) : "medium");
			records.add(new ProducerRecord<>(topic, this.key, event.getBytes(StandardCharsets.UTF_8)));
		}
		publish(records);
	}

	@Override
	public void sendHeartbeat(String agentId, Map<String, Object> body) throws RetryLater {
		publish(List.of(new ProducerRecord<>(this.prefix + ".heartbeats", this.key,
				Json.write(body).getBytes(StandardCharsets.UTF_8))));
	}

	@Override
	public void register(Map<String, Object> registration) throws RetryLater {
		this.http.register(registration);
	}

	@Override
	public void close() {
		this.producer.close(Duration.ofSeconds(2));
	}

}
