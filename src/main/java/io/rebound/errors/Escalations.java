package io.rebound.errors;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Checks every {@code interval} the errors with events this hour against their forecast
 * ({@link Escalation}), flags those that escalate ({@code escalating_since},
 * {@code escalation} in the error) and publishes {@link ErrorEscalated}; clears the flag
 * of those whose last full hour and this one stayed under it. The flag is set with a
 * conditional update, so with several instances each escalation is published once.
 */
@Component
class Escalations {

	private final JdbcTemplate jdbc;

	private final EscalationProperties properties;

	private final ApplicationEventPublisher events;

	private final Counter escalated;

	private final TransactionTemplate transaction;

	Escalations(JdbcTemplate jdbc, EscalationProperties properties, ApplicationEventPublisher events,
			MeterRegistry meters, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactions);
		this.properties = properties;
		this.events = events;
		this.escalated = Counter.builder("rebound.errors.escalated")
			.description("Errors that began escalating: far more events in an hour than their last week forecast")
			.register(meters);
	}

	private record Candidate(UUID errorId, String source, String status, long count, long previous, long baseline,
			boolean escalating) {
	}

	@Scheduled(
			fixedDelayString = "#{@'rebound.errors.escalation-io.rebound.errors.EscalationProperties'.interval().toMillis()}",
			initialDelayString = "#{@'rebound.errors.escalation-io.rebound.errors.EscalationProperties'.interval().toMillis()}")
	void tick() {
		if (this.properties.enabled()) {
			check(Instant.now());
		}
	}

	/**
	 * One check at {@code now}, in a transaction (the escalations' events are delivered
	 * after its commit); answers how many errors began escalating.
	 */
	int check(Instant now) {
		return this.transaction.execute((status) -> checkInTransaction(now));
	}

	private int checkInTransaction(Instant now) {
		Instant hour = now.truncatedTo(ChronoUnit.HOURS);
		Instant previousHour = hour.minus(1, ChronoUnit.HOURS);
		List<Candidate> candidates = this.jdbc.query("""
				SELECT e.id, e.source, e.status, coalesce(h.count, 0) AS count,
				       coalesce((SELECT p.count FROM error_hourly p WHERE p.error_id = e.id AND p.hour = ?), 0)
				           AS previous,
				       coalesce((SELECT max(p.count) FROM error_hourly p
				                 WHERE p.error_id = e.id AND p.hour >= ? AND p.hour < ?), 0) AS baseline,
				       e.escalating_since IS NOT NULL AS escalating
				FROM errors e LEFT JOIN error_hourly h ON h.error_id = e.id AND h.hour = ?
				-- driven by the two indexes (this hour's counts, the errors escalating), not a scan of
				-- every error
				WHERE e.id IN (SELECT error_id FROM error_hourly WHERE hour = ?
				               UNION SELECT id FROM errors WHERE escalating_since IS NOT NULL)
				  AND (e.escalating_since IS NOT NULL OR e.first_seen < ?)
				""",
				(rs, n) -> new Candidate(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getLong(4),
						rs.getLong(5), rs.getLong(6), rs.getBoolean(7)),
				Timestamp.from(previousHour), Timestamp.from(hour.minus(7, ChronoUnit.DAYS)), Timestamp.from(hour),
				Timestamp.from(hour), Timestamp.from(hour), Timestamp.from(hour.minus(this.properties.history())));
		int began = 0;
		for (Candidate c : candidates) {
			long forecast = Escalation.forecast(c.baseline(), this.properties.minEvents());
			if (!c.escalating() && c.count() >= forecast) {
				int flagged = this.jdbc.update("""
						UPDATE errors SET escalating_since = ?, escalation = jsonb_build_object('count', ?::bigint,
						    'baseline', ?::bigint, 'forecast', ?::bigint, 'from_status', ?::text), updated_at = now()
						WHERE id = ? AND escalating_since IS NULL
						""", Timestamp.from(now), c.count(), c.baseline(), forecast, c.status(), c.errorId());
				if (flagged == 1) {
					began++;
					this.escalated.increment();
					this.events.publishEvent(new ErrorEscalated(c.errorId(), c.source(), c.count(), c.baseline(),
							forecast, c.status(), now));
				}
			}
			else if (c.escalating() && c.count() < forecast && c.previous() < forecast) {
				this.jdbc.update("UPDATE errors SET escalating_since = NULL, escalation = NULL WHERE id = ?",
						c.errorId());
			}
		}
		return began;
	}

}
