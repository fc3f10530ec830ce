package io.rebound.recovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Recovery in numbers: attempts by level, strategy and outcome; time to recover; runs by
 * status (refreshed every 15 s); runs held back by the restart-intensity limit;
 * hand-overs to a person — counted from the {@link RecoveryEvent}s as they are published.
 * Tags are levels, strategies and outcomes only.
 */
@Component
class RecoveryMetrics {

	private static final Logger log = LoggerFactory.getLogger(RecoveryMetrics.class);

	private final MeterRegistry meters;

	private final JdbcTemplate jdbc;

	private final Timer timeToRecover;

	private final Counter throttled;

	private final Counter toPerson;

	private final MultiGauge runs;

	RecoveryMetrics(MeterRegistry meters, JdbcTemplate jdbc) {
		this.meters = meters;
		this.jdbc = jdbc;
		this.timeToRecover = Timer.builder("rebound.recovery.time.to.recover")
			.description("From a run's start to its verified success")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofSeconds(1))
			.maximumExpectedValue(Duration.ofHours(2))
			.register(meters);
		this.throttled = Counter.builder("rebound.recovery.throttled")
			.description("Steps held back by the per-agent restart intensity or the global cap")
			.register(meters);
		this.toPerson = Counter.builder("rebound.recovery.escalations.person")
			.description("Runs handed to a person")
			.register(meters);
		this.runs = MultiGauge.builder("rebound.recovery.runs")
			.description("Recovery runs, per status")
			.register(meters);
		for (String outcome : List.of("succeeded", "failed", "action_failed")) {
			attempt(1, "retry", outcome);
		}
	}

	Counter attempt(int level, String strategy, String outcome) {
		return Counter.builder("rebound.recovery.attempts")
			.description("Recovery attempts, by level, strategy and outcome")
			.tags("level", Integer.toString(level), "strategy", strategy, "outcome", outcome)
			.register(this.meters);
	}

	@EventListener
	void on(RecoveryEvent.RecoveryAttemptJudged judged) {
		attempt(judged.level(), judged.strategy(), judged.outcome()).increment();
	}

	@EventListener
	void on(RecoveryEvent.RecoverySucceeded succeeded) {
		if (succeeded.strategy() != null) {
			// recovered by an action of its own (not along with its dependency)
			this.timeToRecover.record(succeeded.took());
		}
	}

	@EventListener
	void on(RecoveryEvent.RecoveryThrottled throttled) {
		this.throttled.increment();
	}

	@EventListener
	void on(RecoveryEvent.RecoveryHandedToPerson handed) {
		this.toPerson.increment();
	}

	@Scheduled(fixedDelayString = "#{@'rebound.metrics-io.rebound.MetricsProperties'.refresh().toMillis()}",
			initialDelay = 0)
	void refresh() {
		try {
			Map<String, Long> counts = new HashMap<>();
			this.jdbc.query("SELECT status, count(*) FROM recovery_runs GROUP BY 1", (rs) -> {
				counts.put(rs.getString(1), rs.getLong(2));
			});
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			for (String status : List.of("running", "waiting_person", "waiting_approval", "succeeded", "cancelled")) {
				rows.add(MultiGauge.Row.of(Tags.of("status", status), counts.getOrDefault(status, 0L)));
			}
			this.runs.register(rows, true);
		}
		catch (RuntimeException ex) {
			log.warn("Refreshing the recovery gauges failed; they keep their last values: {}", ex.toString());
		}
	}

}
