package io.rebound.errors;

import java.sql.PreparedStatement;
import java.util.Map;
import java.util.HashMap;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Each error's events per hour of receipt, what spike detection reads: counted in memory
 * as batches commit and added to {@code error_hourly} every two seconds with one upsert,
 * so the ingest transaction does not carry it. Additive, so several instances each add
 * their own; a failed write is kept and tried again; an instance that dies loses at most
 * two seconds of counts (the events themselves are stored, this is only their tally).
 */
@Component
class HourlyCounts {

	private static final Logger log = LoggerFactory.getLogger(HourlyCounts.class);

	private static final String UPSERT = """
			INSERT INTO error_hourly AS h (error_id, hour, count)
			SELECT u.error_id::uuid, to_timestamp(u.hour * 3600), u.count
			FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS u(error_id, hour, count)
			ORDER BY 1, 2
			ON CONFLICT (error_id, hour) DO UPDATE SET count = h.count + EXCLUDED.count
			""";

	private final JdbcTemplate jdbc;

	private Map<ErrorAggregates.Hour, long[]> pending = new HashMap<>();

	HourlyCounts(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Adds a committed batch's counts. */
	synchronized void add(Map<ErrorAggregates.Hour, long[]> counts) {
		counts.forEach((key, n) -> this.pending.computeIfAbsent(key, (k) -> new long[1])[0] += n[0]);
	}

	@Scheduled(fixedDelayString = "PT2S")
	@PreDestroy
	void flush() {
		Map<ErrorAggregates.Hour, long[]> counts;
		synchronized (this) {
			if (this.pending.isEmpty()) {
				return;
			}
			counts = this.pending;
			this.pending = new HashMap<>();
		}
		try {
			write(counts);
		}
		catch (RuntimeException ex) {
			log.warn("Writing errors' hourly counts failed; kept for the next try: {}", ex.toString());
			add(counts);
		}
	}

	private void write(Map<ErrorAggregates.Hour, long[]> counts) {
		String[] errors = new String[counts.size()];
		long[] hours = new long[counts.size()];
		long[] numbers = new long[counts.size()];
		int i = 0;
		for (Map.Entry<ErrorAggregates.Hour, long[]> entry : counts.entrySet()) {
			errors[i] = entry.getKey().errorId().toString();
			hours[i] = entry.getKey().epochHour();
			numbers[i] = entry.getValue()[0];
			i++;
		}
		this.jdbc.execute((ConnectionCallback<Integer>) (connection) -> {
			try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
				statement.setObject(1, errors);
				statement.setObject(2, hours);
				statement.setObject(3, numbers);
				return statement.executeUpdate();
			}
		});
	}

}
