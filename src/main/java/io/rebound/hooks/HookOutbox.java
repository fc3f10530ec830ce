package io.rebound.hooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.rebound.shared.Timestamps;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The notifications waiting for their subscribers, in PostgreSQL. */
@Component
class HookOutbox {

	/**
	 * One notification for one subscriber.
	 *
	 * @param id its idempotency key
	 * @param subscription the subscriber
	 * @param event the event
	 * @param body what is POSTed
	 * @param attempts attempts so far
	 * @param createdAt when it was written
	 */
	record Delivery(UUID id, String subscription, String event, String body, int attempts, Instant createdAt) {
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcTemplate jdbc;

	private final HooksProperties properties;

	HookOutbox(JdbcTemplate jdbc, HooksProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/** One row per subscription that wants it, unless it is there already. */
	void add(Notification notification) {
		for (HooksProperties.Subscription subscription : this.properties.subscriptions()) {
			if (!subscription.wants(notification)) {
				continue;
			}
			UUID id = UUID.randomUUID();
			String body = JSON.writeValueAsString(HookFormats.body(subscription.format(), id, notification));
			this.jdbc.update("""
					INSERT INTO hook_deliveries (id, subscription, key, event, body) VALUES (?, ?, ?, ?, ?::jsonb)
					ON CONFLICT (subscription, key) DO NOTHING
					""", id, subscription.name(), notification.key(), notification.event(), body);
		}
	}

	List<Delivery> due(int limit) {
		return this.jdbc.query("""
				SELECT id, subscription, event, body::text AS body, attempts, created_at FROM hook_deliveries
				WHERE status = 'pending' AND next_at <= now() ORDER BY next_at LIMIT ?
				""",
				(rs, n) -> new Delivery(rs.getObject("id", UUID.class), rs.getString("subscription"),
						rs.getString("event"), rs.getString("body"), rs.getInt("attempts"),
						Timestamps.instant(rs.getTimestamp("created_at"))),
				limit);
	}

	void delivered(UUID id, String answer) {
		this.jdbc.update("""
				UPDATE hook_deliveries SET status = 'delivered', attempts = attempts + 1, last_answer = ?,
				    delivered_at = now() WHERE id = ?
				""", answer, id);
	}

	void failed(UUID id, String answer, Duration retryIn, boolean abandon) {
		this.jdbc.update("""
				UPDATE hook_deliveries SET status = ?, attempts = attempts + 1, last_answer = ?,
				    next_at = now() + ? * interval '1 millisecond' WHERE id = ?
				""", abandon ? "abandoned" : "pending", answer, retryIn.toMillis(), id);
	}

}
