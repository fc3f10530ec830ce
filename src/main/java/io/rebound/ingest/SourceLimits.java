package io.rebound.ingest;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.rebound.errors.ErrorEvent;

/**
 * Decides which events are stored one by one: a token bucket per source (its rate and
 * burst) and a per-minute budget per error (spike protection), both on the records' own
 * timestamps. Every source's records share one partition, hence one consumer thread, so
 * these counts are exact without coordination. Over a limit, every n-th event is stored
 * anyway as a sample.
 */
final class SourceLimits {

	static final String SOURCE_RATE = "source_rate";

	static final String ERROR_SPIKE = "error_spike";

	private static final int MAX_TRACKED = 100_000;

	private final IngestProperties.Limits limits;

	private final Map<String, Bucket> sources = new ConcurrentHashMap<>();

	private final Map<UUID, Window> errors = new ConcurrentHashMap<>();

	SourceLimits(IngestProperties.Limits limits) {
		this.limits = limits;
	}

	/**
	 * Whether to store this event on its own.
	 * @param event the event
	 * @param timestampMs its record's timestamp
	 * @return {@code null} to store it, or why it is only counted
	 */
	String admit(ErrorEvent event, long timestampMs) {
		if (!this.limits.enabled()) {
			return null;
		}
		if (this.sources.size() > MAX_TRACKED) {
			this.sources.clear();
		}
		if (this.errors.size() > MAX_TRACKED) {
			this.errors.clear();
		}
		Bucket bucket = this.sources.computeIfAbsent(event.source(),
				(s) -> new Bucket(this.limits.perSourceBurst(), timestampMs));
		Window window = this.errors.computeIfAbsent(event.errorId(), (e) -> new Window());
		synchronized (bucket) {
			String reason = null;
			if (!bucket.take(timestampMs, this.limits.perSource(), this.limits.perSourceBurst())) {
				reason = SOURCE_RATE;
			}
			else if (!window.take(timestampMs, this.limits.perErrorPerMinute())) {
				reason = ERROR_SPIKE;
			}
			if (reason != null && ++bucket.over % this.limits.sampleEvery() == 0) {
				return null;
			}
			return reason;
		}
	}

	private static final class Bucket {

		private double tokens;

		private long at;

		private long over;

		Bucket(double tokens, long at) {
			this.tokens = tokens;
			this.at = at;
		}

		boolean take(long now, int perSecond, int burst) {
			if (now > this.at) {
				this.tokens = Math.min(burst, this.tokens + (now - this.at) * perSecond / 1000.0);
				this.at = now;
			}
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return true;
			}
			return false;
		}

	}

	private static final class Window {

		private long minute = Long.MIN_VALUE;

		private int used;

		boolean take(long now, int perMinute) {
			long current = now / 60_000;
			if (current > this.minute) {
				this.minute = current;
				this.used = 0;
			}
			return ++this.used <= perMinute;
		}

	}

}
