package io.rebound.ingest;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.modulith.NamedInterface;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transactional outbox for error events that Rebound itself creates: a feature adds
 * an event inside its own database transaction, and it is published to the bus after that
 * commits, every {@code rebound.ingest.outbox-interval}, until Kafka takes it. Events
 * carry their own {@code event_id}, so one published twice (a crash between sending and
 * marking) is stored once. One that breaks the contract (a bug in the feature that built
 * it) is set aside ({@code refused_at}, the reason in {@code last_error}) rather than
 * holding back the events behind it.
 */
@Component
@NamedInterface("bus")
public class Outbox {

	private static final Logger log = LoggerFactory.getLogger(Outbox.class);

	private static final int BATCH = 200;

	private final JdbcTemplate jdbc;

	private final EventBus bus;

	private final JsonMapper json;

	Outbox(JdbcTemplate jdbc, EventBus bus, JsonMapper json) {
		this.jdbc = jdbc;
		this.bus = bus;
		this.json = json;
	}

	/**
	 * Adds an error event (contract v1, with its {@code event_id}) in the caller's
	 * transaction.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void add(ObjectNode event) {
		this.jdbc.update("INSERT INTO outbox (payload) VALUES (?::jsonb)", this.json.writeValueAsString(event));
	}

	@Scheduled(fixedDelayString = IngestProperties.BEAN + ".outboxInterval().toMillis()}")
	@Transactional
	public void publishPending() {
		List<Long> ids = new ArrayList<>();
		List<ObjectNode> events = new ArrayList<>();
		this.jdbc.query("SELECT id, payload::text FROM outbox WHERE published_at IS NULL AND refused_at IS NULL "
				+ "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED", (rs) -> {
					ids.add(rs.getLong(1));
					events.add((ObjectNode) this.json.readTree(rs.getString(2)));
				}, BATCH);
		for (int i = events.size() - 1; i >= 0; i--) {
			String violation = this.bus.violation(events.get(i));
			if (violation != null) {
				long id = ids.remove(i);
				events.remove(i);
				log.error("Outbox event {} breaks the contract and is set aside (a bug): {}", id, violation);
				this.jdbc.update("UPDATE outbox SET refused_at = now(), last_error = ? WHERE id = ?",
						"refused: " + violation, id);
			}
		}
		if (ids.isEmpty()) {
			return;
		}
		try {
			this.bus.publishErrors(events);
			this.jdbc.update("UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY(?)",
					(Object) ids.toArray(Long[]::new));
		}
		catch (RuntimeException ex) {
			log.warn("Publishing {} outbox events failed; they stay and are tried again: {}", ids.size(),
					ex.toString());
			this.jdbc.update("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ANY(?)",
					ex.toString(), ids.toArray(Long[]::new));
		}
	}

	/** Events not published yet. */
	public long pending() {
		Long count = this.jdbc.queryForObject(
				"SELECT count(*) FROM outbox WHERE published_at IS NULL AND refused_at IS NULL", Long.class);
		return (count != null) ? count : 0;
	}

}
