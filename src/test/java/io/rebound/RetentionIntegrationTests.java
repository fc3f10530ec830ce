package io.rebound;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on the real PostgreSQL: what is older than its table's setting goes, what is
 * newer — or still needed (an outbox row not yet published, a webhook notification not
 * yet taken, the attempts of a run still running) — stays.
 */
@IntegrationTest
class RetentionIntegrationTests {

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	Retention retention;

	@Test
	void eachGrowingTableKeepsWhatItsSettingAllowsAndWhatIsStillNeeded() {
		String mark = "ret-" + UUID.randomUUID().toString().substring(0, 8);
		// outbox: published two days ago (goes), published now (stays), never published
		// (stays)
		outbox(mark + "-old", "now() - interval '2 days'", "now() - interval '2 days'");
		outbox(mark + "-new", "now()", "now()");
		outbox(mark + "-pending", "now() - interval '2 days'", "NULL");
		// health history: 40 days (goes), now (stays)
		for (String at : new String[] { "now() - interval '40 days'", "now()" }) {
			this.jdbc.update("INSERT INTO agent_health_history (agent_id, from_state, to_state, cause, reason, at) "
					+ "VALUES (?, 'healthy', 'degraded', 'degraded_performance', 'test', " + at + ")", mark);
		}
		// audit: 400 days (goes), now (stays)
		for (String at : new String[] { "now() - interval '400 days'", "now()" }) {
			this.jdbc.update("INSERT INTO audit_log (at, actor, role, via, action, target) VALUES (" + at
					+ ", 'tests', 'operator', 'test', 'test.retention', ?)", mark);
		}
		// attempts: 100 days old of an ended run (go), of a running run (stay)
		UUID ended = run(mark, "succeeded");
		UUID running = run(mark, "running");
		attempt(ended, mark);
		attempt(running, mark);
		// webhook notifications: taken 8 days ago (goes), pending as old with its next
		// try
		// an hour ahead (stays; the hour keeps the live sender from taking it meanwhile)
		delivery(mark + "-taken", "delivered");
		delivery(mark + "-pending", "pending");
		this.jdbc.update("INSERT INTO suppressed_events (source, reason, count, first_at, last_at) "
				+ "VALUES (?, 'source_rate', 5, now() - interval '40 days', now() - interval '40 days')", mark);

		// an error's hourly counts: 9 days old (goes), this hour (stays)
		UUID error = UUID.randomUUID();
		this.jdbc.update("INSERT INTO errors (id, fingerprint, fingerprint_inputs, source, type, category, severity, "
				+ "count, first_seen, last_seen, last_received, message, last_event_id, activity_seq) VALUES (?, ?, '{}', ?, 'test', "
				+ "'unknown', 'low', 1, now(), now(), now(), 'test', ?, 0)", error, mark, mark, UUID.randomUUID());
		for (String at : new String[] { "date_trunc('hour', now()) - interval '9 days'",
				"date_trunc('hour', now())" }) {
			this.jdbc.update("INSERT INTO error_hourly (error_id, hour, count) VALUES (?, " + at + ", 3)", error);
		}
		// predictions: one that ended 40 days ago (goes), one as old still pending
		// (stays)
		this.jdbc.update("INSERT INTO agents (id, registered_by) VALUES (?, 'test')", mark);
		for (String outcome : new String[] { "lapsed", "pending" }) {
			this.jdbc.update(
					"INSERT INTO agent_predictions (agent_id, metric, predicted_at, value, limit_value, "
							+ "slope_per_second, crosses_at, confidence, outcome) VALUES (?, 'memory', "
							+ "now() - interval '40 days', 0.5, 0.98, 0.001, now() - interval '40 days', 0.9, ?)",
					mark, outcome);
		}
		// degradation changes: 40 days (goes), now (stays)
		for (String at : new String[] { "now() - interval '40 days'", "now()" }) {
			this.jdbc.update("INSERT INTO degradation_changes (at, from_level, to_level, features_off, why) VALUES ("
					+ at + ", 'full', 'minor', '{}', ?)", mark);
		}

		// error events: a day 20 days ago goes whole, with its events' ids; today's stay
		String old = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(20).toString();
		String partition = "error_events_p" + old.replace("-", "");
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS " + partition + " PARTITION OF error_events FOR VALUES FROM ('"
				+ old + "T00:00:00Z') TO ('" + java.time.LocalDate.parse(old).plusDays(1) + "T00:00:00Z')");
		UUID oldEvent = UUID.randomUUID();
		UUID newEvent = UUID.randomUUID();
		// no day's partition holds a year ago: the default partition does
		UUID defaultEvent = UUID.randomUUID();
		for (Object[] event : new Object[][] { { oldEvent, "'" + old + "T12:00:00Z'::timestamptz" },
				{ newEvent, "now()" }, { defaultEvent, "now() - interval '365 days'" } }) {
			this.jdbc.update("INSERT INTO error_events (event_id, error_id, source, type, severity, category, message, "
					+ "occurred_at, received_at, topic, kafka_partition, kafka_offset) VALUES (?, ?, ?, 'test', 'low', "
					+ "'unknown', 'test', now(), " + event[1] + ", 'test', 0, 0)", event[0], error, mark);
			this.jdbc.update("INSERT INTO error_event_ids (event_id, received_at) VALUES (?, " + event[1] + ")",
					event[0]);
		}

		Map<String, Integer> dropped = this.retention.run(Instant.now());

		assertThat(count("SELECT count(*) FROM pg_class WHERE relname = ?", partition)).isZero();
		assertThat(count("SELECT count(*) FROM error_events WHERE source = ?", mark)).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM error_event_ids WHERE event_id = ?::uuid", oldEvent.toString()))
			.isZero();
		assertThat(count("SELECT count(*) FROM error_event_ids WHERE event_id = ?::uuid", newEvent.toString()))
			.isEqualTo(1);
		assertThat(count("SELECT count(*) FROM error_events_default WHERE event_id = ?::uuid", defaultEvent.toString()))
			.isZero();
		assertThat(count("SELECT count(*) FROM error_event_ids WHERE event_id = ?::uuid", defaultEvent.toString()))
			.isZero();
		assertThat(dropped.get("error_event_ids")).isGreaterThanOrEqualTo(2);
		assertThat(count("""
				SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
				WHERE p.relname = 'error_events' AND i.inhrelid::regclass::text >= ?
				""", "error_events_p" + java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString().replace("-", "")))
			.as("today's partition and the week ahead exist")
			.isGreaterThanOrEqualTo(8);

		assertThat(count("SELECT count(*) FROM error_hourly WHERE error_id = ?::uuid", error.toString())).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM agent_predictions WHERE agent_id = ? AND outcome = 'pending'", mark))
			.isEqualTo(1);
		assertThat(count("SELECT count(*) FROM agent_predictions WHERE agent_id = ?", mark)).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM degradation_changes WHERE why = ?", mark)).isEqualTo(1);

		assertThat(count("SELECT count(*) FROM outbox WHERE payload ->> 'mark' LIKE ?", mark + "%")).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM outbox WHERE payload ->> 'mark' = ?", mark + "-old")).isZero();
		assertThat(count("SELECT count(*) FROM agent_health_history WHERE agent_id = ?", mark)).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM audit_log WHERE target = ?", mark)).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM recovery_attempts WHERE run_id = ?", ended.toString())).isZero();
		assertThat(count("SELECT count(*) FROM recovery_attempts WHERE run_id = ?", running.toString())).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM hook_deliveries WHERE key LIKE ?", mark + "%")).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM suppressed_events WHERE source = ?", mark)).isZero();
		assertThat(dropped).containsKeys("outbox", "agent_health_history", "audit_log", "recovery_attempts",
				"hook_deliveries", "suppressed_events", "error_hourly", "agent_predictions", "degradation_changes",
				"error_events", "error_event_ids");
		assertThat(dropped.values()).allSatisfy((n) -> assertThat(n).isPositive());
	}

	private void outbox(String mark, String created, String published) {
		// a valid event: the live outbox publishes what is pending (an invalid one it
		// would set aside)
		this.jdbc.update("INSERT INTO outbox (payload, created_at, published_at) VALUES (jsonb_build_object('mark', "
				+ "?::text, 'source', 'retention-test', 'type', 'test', 'severity', 'info', 'message', 'retention'), "
				+ created + ", " + published + ")", mark);
	}

	private UUID run(String mark, String status) {
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				INSERT INTO recovery_runs (id, incident_id, target, status, level, phase, next_at, reason)
				VALUES (?, ?, ?, ?, 1, 'act', now() + interval '1 hour', 'test')
				""", id, UUID.randomUUID(), mark + "-" + status, status);
		return id;
	}

	private void attempt(UUID run, String mark) {
		this.jdbc.update("""
				INSERT INTO recovery_attempts (id, run_id, incident_id, target, level, strategy, executor, started_at)
				VALUES (?, ?, ?, ?, 1, 'retry', 'http', now() - interval '100 days')
				""", UUID.randomUUID(), run, UUID.randomUUID(), mark);
	}

	private void delivery(String key, String status) {
		this.jdbc.update("""
				INSERT INTO hook_deliveries (id, subscription, key, event, body, created_at, next_at, status)
				VALUES (?, 'it-subscriber', ?, 'incident.opened', '{}'::jsonb, now() - interval '8 days',
				        now() + interval '1 hour', ?)
				""", UUID.randomUUID(), key, status);
	}

	private long count(String sql, String argument) {
		return this.jdbc.queryForObject(sql.replace("run_id = ?", "run_id = ?::uuid"), Long.class, argument);
	}

}
