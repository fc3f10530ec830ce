package io.rebound.fleet;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.BitSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A steady stream of error events straight to Rebound's topics, each with an id the
 * generator can read back: event {@code n} of a run has the id {@code (run, n)}, so which
 * events the broker acknowledged is one bit each, and what Rebound stored can be checked
 * id by id. Spread so that the noise limits never apply at the default settings (sources
 * × types errors, each well under its per-minute limit; each source well under its
 * per-second one), so every event must be stored one by one.
 */
final class Load implements AutoCloseable {

	private final long run = ThreadLocalRandom.current().nextLong() & 0x0000_ffff_ffff_0fffL | 0x0000_0000_0000_4000L;

	private final String prefix = "load-" + Long.toHexString(this.run).substring(0, 6) + "-";

	private final int rate;

	private final int sources;

	private final int types;

	private final KafkaProducer<String, byte[]> producer;

	private final BitSet acked = new BitSet();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final Thread sender;

	private volatile boolean stopped;

	/**
	 * Starts sending.
	 * @param bootstrap the broker
	 * @param rate events per second
	 * @param sources how many sources the events come from
	 * @param types how many error types each source reports
	 */
	Load(String bootstrap, int rate, int sources, int types) {
		this.rate = rate;
		this.sources = sources;
		this.types = types;
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
				ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BUFFER_MEMORY_CONFIG, 512L * 1024 * 1024,
				// an outage of the broker is waited out, not given up on
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000),
				new StringSerializer(), new ByteArraySerializer());
		this.sender = Thread.ofPlatform().name("load").daemon().start(this::send);
	}

	private void send() {
		long started = System.nanoTime();
		while (!this.stopped) {
			long due = (System.nanoTime() - started) * this.rate / 1_000_000_000L;
			while (this.sent.get() < due && !this.stopped) {
				long n = this.sent.getAndIncrement();
				String source = this.prefix + (n % this.sources);
				String type = "load_" + ((n / this.sources) % this.types);
				byte[] event = """
						{"event_id":"%s","source":"%s","type":"%s","severity":"low",\
						"message":"batch step %d failed: upstream answered 502","timestamp":"%s","context":{"n":%d}}"""
					.formatted(id(n), source, type, n, Instant.now(), n)
					.getBytes(StandardCharsets.UTF_8);
				this.producer.send(new ProducerRecord<>("rebound.errors.low", source, event), (metadata, ex) -> {
					if (ex == null) {
						synchronized (this.acked) {
							this.acked.set((int) n);
						}
					}
					else {
						this.failed.incrementAndGet();
					}
				});
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private UUID id(long n) {
		return new UUID(this.run, n);
	}

	/** Events handed to the producer so far. */
	long sent() {
		return this.sent.get();
	}

	/** Events the broker acknowledged so far. */
	long acked() {
		synchronized (this.acked) {
			return this.acked.cardinality();
		}
	}

	/** Events the producer gave up on. */
	long failed() {
		return this.failed.get();
	}

	/** The source names' common prefix. */
	String prefix() {
		return this.prefix;
	}

	/** Stops sending and waits until the producer has an answer for every event. */
	void stop() {
		this.stopped = true;
		try {
			this.sender.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.producer.flush();
	}

	/**
	 * What Rebound stored of the events {@code [from, to)}, read id by id from its
	 * database.
	 *
	 * @param acked the broker acknowledged them
	 * @param stored stored at least once
	 * @param twice stored more than once (must be 0)
	 * @param missing acknowledged but not stored (must be 0 once Rebound caught up)
	 * @param counted the events its errors count, over all the load's events
	 */
	record Check(long acked, long stored, long twice, long missing, long counted) {

		boolean exact() {
			return this.twice == 0 && this.missing == 0;
		}

	}

	/**
	 * Reads back every event of this load Rebound stored; judges those in
	 * {@code [from, to)}.
	 */
	Check check(String jdbcUrl, long from, long to) throws Exception {
		return check(jdbcUrl, "postgres", "", from, to);
	}

	/** As {@link #check(String, long, long)}, as this database user. */
	Check check(String jdbcUrl, String user, String password, long from, long to) throws Exception {
		BitSet ackedNow;
		synchronized (this.acked) {
			ackedNow = (BitSet) this.acked.clone();
		}
		BitSet stored = new BitSet();
		long twice = 0;
		long counted;
		try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
			connection.setAutoCommit(false);
			try (PreparedStatement query = connection.prepareStatement(
					"SELECT event_id FROM error_events WHERE source LIKE ? AND event_id >= ? AND event_id < ?")) {
				query.setFetchSize(10_000);
				query.setString(1, this.prefix + "%");
				query.setObject(2, id(from));
				query.setObject(3, id(to));
				try (ResultSet rows = query.executeQuery()) {
					while (rows.next()) {
						UUID id = rows.getObject(1, UUID.class);
						int n = (int) id.getLeastSignificantBits();
						if (stored.get(n)) {
							twice++;
						}
						stored.set(n);
					}
				}
			}
			try (PreparedStatement query = connection
				.prepareStatement("SELECT coalesce(sum(count), 0) FROM errors WHERE source LIKE ?")) {
				query.setString(1, this.prefix + "%");
				try (ResultSet rows = query.executeQuery()) {
					rows.next();
					counted = rows.getLong(1);
				}
			}
		}
		BitSet window = ackedNow.get(0, (int) to);
		window.clear(0, (int) from);
		BitSet missing = (BitSet) window.clone();
		missing.andNot(stored);
		return new Check(window.cardinality(), stored.cardinality(), twice, missing.cardinality(), counted);
	}

	@Override
	public void close() {
		stop();
		this.producer.close();
	}

}
