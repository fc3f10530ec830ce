package io.rebound.recovery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each strategy's record per kind of error ({@code cause|category|agent kind}), in
 * PostgreSQL: judged attempts, successes, relapses, time to recover, share of the
 * affected agents recovered, agents acted on, and the executor calls' durations
 * (exponentially weighted mean and variance) from which each attempt's timeout is
 * adapted. Callers bring the transaction.
 */
@Component
class RecoveryRecords {

	/** Weight of the newest duration in the moving mean and variance. */
	static final double ALPHA = 0.2;

	/** Durations observed before the timeout adapts. */
	static final int SAMPLES = 3;

	/**
	 * One strategy's record for one kind of error.
	 *
	 * @param errorKind {@code cause|category|agent kind}
	 * @param strategy the strategy
	 * @param level its level
	 * @param attempts judged attempts
	 * @param successes verified successes
	 * @param relapses successes followed by the same fault within the relapse window
	 * @param ttrSecondsSum time to recover, summed over successes
	 * @param recoveredSum share of the incident's agents healthy at judgement, summed
	 * @param actionsSum agents acted on, summed
	 * @param durationSamples executor calls timed
	 * @param durationMsMean their moving mean
	 * @param durationMsVar their moving variance
	 */
	record Record(String errorKind, String strategy, int level, int attempts, int successes, int relapses,
			double ttrSecondsSum, double recoveredSum, int actionsSum, int durationSamples, double durationMsMean,
			double durationMsVar) {
	}

	private final JdbcTemplate jdbc;

	private final RecoveryProperties properties;

	RecoveryRecords(JdbcTemplate jdbc, RecoveryProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/** The records of this kind of error, by strategy. */
	Map<String, Record> of(String errorKind) {
		return this.jdbc
			.query("SELECT * FROM recovery_records WHERE error_kind = ?", RecoveryRecords::record, errorKind)
			.stream()
			.collect(Collectors.toMap(Record::strategy, Function.identity()));
	}

	List<Record> all() {
		return this.jdbc.query("SELECT * FROM recovery_records ORDER BY level, strategy, error_kind",
				RecoveryRecords::record);
	}

	/**
	 * The timeout for one call of this strategy on this kind of error: the default until
	 * {@value #SAMPLES} calls were timed, then mean + 4 standard deviations, at least
	 * twice the mean, within the configured bounds.
	 */
	Duration timeout(Record record) {
		if (record == null || record.durationSamples() < SAMPLES) {
			return this.properties.actionTimeout();
		}
		double adapted = Math.max(2 * record.durationMsMean(),
				record.durationMsMean() + 4 * Math.sqrt(record.durationMsVar()));
		long ms = Math.round(adapted);
		return Duration.ofMillis(Math.max(this.properties.actionTimeoutMin().toMillis(),
				Math.min(this.properties.actionTimeoutMax().toMillis(), ms)));
	}

	/** One executor call took this long. */
	void timed(String errorKind, String strategy, int level, long ms) {
		ensure(errorKind, strategy, level);
		// West's exponentially weighted mean and variance
		this.jdbc.update(
				"""
						UPDATE recovery_records SET
						    duration_ms_var = CASE WHEN duration_samples = 0 THEN 0
						        ELSE (1 - ?) * (duration_ms_var + ? * power(? - duration_ms_mean, 2)) END,
						    duration_ms_mean = CASE WHEN duration_samples = 0 THEN ? ELSE duration_ms_mean + ? * (? - duration_ms_mean) END,
						    duration_samples = duration_samples + 1, updated_at = now()
						WHERE error_kind = ? AND strategy = ?
						""",
				ALPHA, ALPHA, (double) ms, (double) ms, ALPHA, (double) ms, errorKind, strategy);
	}

	/** An attempt was judged. */
	void judged(String errorKind, String strategy, int level, boolean success, double ttrSeconds, double recoveredShare,
			int actions) {
		ensure(errorKind, strategy, level);
		this.jdbc.update("""
				UPDATE recovery_records SET attempts = attempts + 1, successes = successes + ?,
				    ttr_seconds_sum = ttr_seconds_sum + ?, recovered_sum = recovered_sum + ?,
				    actions_sum = actions_sum + ?, updated_at = now()
				WHERE error_kind = ? AND strategy = ?
				""", success ? 1 : 0, success ? ttrSeconds : 0, recoveredShare, actions, errorKind, strategy);
	}

	/**
	 * The strategy that last recovered this agent from this kind of error did not hold.
	 */
	void relapse(String errorKind, String strategy) {
		this.jdbc.update("""
				UPDATE recovery_records SET relapses = least(successes, relapses + 1), updated_at = now()
				WHERE error_kind = ? AND strategy = ?
				""", errorKind, strategy);
	}

	private void ensure(String errorKind, String strategy, int level) {
		this.jdbc.update("""
				INSERT INTO recovery_records (error_kind, strategy, level) VALUES (?, ?, ?)
				ON CONFLICT (error_kind, strategy) DO NOTHING
				""", errorKind, strategy, level);
	}

	private static Record record(ResultSet rs, int n) throws SQLException {
		return new Record(rs.getString("error_kind"), rs.getString("strategy"), rs.getInt("level"),
				rs.getInt("attempts"), rs.getInt("successes"), rs.getInt("relapses"), rs.getDouble("ttr_seconds_sum"),
				rs.getDouble("recovered_sum"), rs.getInt("actions_sum"), rs.getInt("duration_samples"),
				rs.getDouble("duration_ms_mean"), rs.getDouble("duration_ms_var"));
	}

}
