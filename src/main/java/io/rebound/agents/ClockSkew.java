package io.rebound.agents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rebound.errors.ReceivedEvent;
import io.rebound.errors.BatchRecorded;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Measures how far each agent's clock is off: the median of {@code received_at −
 * occurred_at} over its last 64 stored events (positive: its clock is behind), written to
 * its registry entry when it moves by a second or more. A source's events all land on one
 * partition, so one instance measures it. Shown in {@code GET /api/agents/{id}}, in
 * diagnostics and as a metric, so an operator sees which hosts need NTP.
 */
@Component
class ClockSkew {

	static final int WINDOW = 64;

	private static final int REMEMBERED = 100_000;

	private final JdbcTemplate jdbc;

	/**
	 * Recent skews per source, oldest first; least recently reporting sources forgotten
	 * first.
	 */
	private final Map<String, Recent> recent = new LinkedHashMap<>(1024, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
			return size() > REMEMBERED;
		}
	};

	ClockSkew(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	private static final class Recent {

		final long[] skews = new long[WINDOW];

		int size;

		int next;

		Long written;

		void add(long skew) {
			this.skews[this.next] = skew;
			this.next = (this.next + 1) % WINDOW;
			this.size = Math.min(WINDOW, this.size + 1);
		}

		long median() {
			long[] sorted = Arrays.copyOf(this.skews, this.size);
			Arrays.sort(sorted);
			return sorted[sorted.length / 2];
		}

	}

	@EventListener
	void on(BatchRecorded batch) {
		List<String> ids = new ArrayList<>();
		List<Long> skews = new ArrayList<>();
		synchronized (this.recent) {
			Map<String, Recent> touched = new LinkedHashMap<>();
			for (ReceivedEvent received : batch.stored()) {
				long skew = received.receivedAt().toEpochMilli() - received.event().occurredAt().toEpochMilli();
				Recent r = this.recent.computeIfAbsent(received.event().source(), (s) -> new Recent());
				r.add(skew);
				touched.put(received.event().source(), r);
			}
			// one median per source and batch, not per event: this runs on the ingest
			// path
			touched.forEach((source, r) -> {
				long median = r.median();
				if (r.written == null || Math.abs(median - r.written) >= 1000) {
					ids.add(source);
					skews.add(median);
				}
			});
		}
		if (ids.isEmpty()) {
			return;
		}
		// an agent first seen in this batch may not be registered yet: it is written next
		// time
		List<String> written = this.jdbc.queryForList("""
				UPDATE agents a SET clock_skew_ms = u.skew, clock_skew_at = ?
				FROM unnest(?::text[], ?::bigint[]) AS u(id, skew) WHERE a.id = u.id
				RETURNING a.id
				""", String.class, java.sql.Timestamp.from(Instant.now()), ids.toArray(String[]::new),
				skews.toArray(Long[]::new));
		synchronized (this.recent) {
			for (int i = 0; i < ids.size(); i++) {
				Recent r = this.recent.get(ids.get(i));
				if (r != null && written.contains(ids.get(i))) {
					r.written = skews.get(i);
				}
			}
		}
	}

}
