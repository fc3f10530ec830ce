package io.rebound;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.rebound.errors.EventPartitions;
import io.rebound.recovery.RecoveryLeadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the growing tables bounded: on the recovery leader, every
 * {@code rebound.retention.interval}, drops the rows older than each table's setting, in
 * batches so no statement holds its locks for long. The one place retention is decided,
 * so an operator reads it in one file.
 */
@Component
class Retention {

	private static final Logger log = LoggerFactory.getLogger(Retention.class);

	private static final int BATCH = 10_000;

	private final JdbcTemplate jdbc;

	private final RetentionProperties properties;

	private final RecoveryLeadership leadership;

	private final EventPartitions partitions;

	Retention(JdbcTemplate jdbc, RetentionProperties properties, RecoveryLeadership leadership,
			EventPartitions partitions) {
		this.jdbc = jdbc;
		this.partitions = partitions;
		this.properties = properties;
		this.leadership = leadership;
	}

	@Scheduled(fixedDelayString = RetentionProperties.BEAN + ".interval().toMillis()}", initialDelayString = "PT1M")
	void scheduled() {
		if (this.leadership.leading()) {
			try {
				Map<String, Integer> dropped = run(Instant.now());
				dropped.values().removeIf((n) -> n == 0);
				if (!dropped.isEmpty()) {
					log.info("Retention dropped {}", dropped);
				}
			}
			catch (RuntimeException ex) {
				log.warn("Retention failed; tried again at the next interval: {}", ex.toString());
			}
		}
	}

	/**
	 * Drops what is older than the settings allow, as of {@code now}; how many per table.
	 */
	Map<String, Integer> run(Instant now) {
		Map<String, Integer> dropped = new LinkedHashMap<>();
		dropped.put("outbox", drop("outbox", "coalesce(published_at, refused_at) < ?", now, this.properties.outbox()));
		dropped.put("agent_health_history",
				drop("agent_health_history", "at < ?", now, this.properties.healthHistory()));
		dropped.put("audit_log", drop("audit_log", "at < ?", now, this.properties.audit()));
		dropped.put("recovery_attempts", drop("recovery_attempts", """
				started_at < ? AND run_id IN (SELECT id FROM recovery_runs WHERE status IN ('succeeded', 'cancelled'))
				""", now, this.properties.attempts()));
		dropped.put("hook_deliveries", drop("hook_deliveries", "status <> 'pending' AND created_at < ?", now,
				this.properties.hookDeliveries()));
		dropped.put("suppressed_events", drop("suppressed_events", "last_at < ?", now, this.properties.suppressed()));
		// error events go by whole days; their ids (the idempotency keys) with them
		EventPartitions.Dropped events = this.partitions.dropBefore(now.minus(this.properties.events()));
		dropped.put("error_events", events.events());
		dropped.put("error_event_ids", events.ids());
		// spike detection forecasts from the last seven days
		dropped.put("error_hourly", drop("error_hourly", "hour < ?", now, Duration.ofDays(8)));
		dropped.put("agent_predictions", drop("agent_predictions", "predicted_at < ? AND outcome <> 'pending'", now,
				this.properties.healthHistory()));
		dropped.put("degradation_changes", drop("degradation_changes", "at < ?", now, this.properties.healthHistory()));
		return dropped;
	}

	private int drop(String table, String older, Instant now, Duration keep) {
		Timestamp before = Timestamp.from(now.minus(keep));
		int total = 0;
		int batch;
		do {
			batch = this.jdbc.update("DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM " + table + " WHERE "
					+ older + " LIMIT " + BATCH + ")", before);
			total += batch;
		}
		while (batch == BATCH);
		return total;
	}

}
