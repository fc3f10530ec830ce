package io.rebound.errors;

import java.sql.PreparedStatement;
import java.util.Map;
import java.util.TreeMap;

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
			SELECT u.error_id::uuid, u.hour::timestamptz, u.count::bigint
			FROM unnest(?::text[], ?::text[], ?::text[]) AS u(error_id, hour, count)
			ORDER BY 1, 2
			ON CONFLICT (error_id, hour) DO UPDATE SET count = h.count + EXCLUDED.count
			""";

	private final JdbcTemplate jdbc;

	private TreeMap<String, long[]> pending = new TreeMap<>();

	HourlyCounts(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Adds a committed batch's counts, keyed {@code <error id>|<hour>}. */
	synchronized void add(Map<String, long[]> counts) {
		counts.forEach((key, n) -> this.pending.computeIfAbsent(key, (k) -> new long[1])[0] += n[0]);
	}

	@Scheduled(fixedDelayString = "PT2S")
	@PreDestroy
	void flush() {
		TreeMap<String, long[]> counts;
		synchronized (this) {
			if (this.pending.isEmpty()) {
				return;
			}
			counts = this.pending;
			this.pending = new TreeMap<>();
		}
		try {
			write(counts);
		}
		catch (RuntimeException ex) {
			log.warn("Writing errors' hourly counts failed; kept for the next try: {}", ex.toString());
			add(counts);
		}
	}

	private void write(TreeMap<String, long[]> counts) {
		String[][] columns = new String[3][counts.size()];
		int i = 0;
		for (Map.Entry<String, long[]> entry : counts.entrySet()) {
			int bar = entry.getKey().indexOf('|');
			columns[0][i] = entry.getKey().substring(0, bar);
			columns[1][i] = entry.getKey().substring(bar + 1);
			columns[2][i] = Long.toString(entry.getValue()[0]);
			i++;
		}
		this.jdbc.execute((ConnectionCallback<Integer>) (connection) -> {
			try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
				ErrorRecorder.bindTextArrays(statement, columns);
				return statement.executeUpdate();
			}
		});
	}

}
