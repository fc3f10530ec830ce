package io.rebound.correlation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Incidents in numbers: how many are open or being mitigated ({@code rebound.incidents},
 * by status, refreshed every 15 s), and how many were opened (by kind) and ended (by
 * status) on this instance.
 */
@Component
class IncidentMetrics {

	private static final Logger log = LoggerFactory.getLogger(IncidentMetrics.class);

	private static final List<String> KINDS = List.of("rule", "burst", "severity", "dependency", "recurrence",
			"manual");

	private final JdbcTemplate jdbc;

	private final MultiGauge byStatus;

	private final MeterRegistry meters;

	IncidentMetrics(JdbcTemplate jdbc, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.meters = meters;
		this.byStatus = MultiGauge.builder("rebound.incidents")
			.description("Incidents open or being mitigated, per status")
			.register(meters);
		KINDS.forEach(this::opened);
		ended(IncidentStatus.RESOLVED);
		ended(IncidentStatus.CLOSED);
	}

	@TransactionalEventListener
	void on(IncidentOpened opened) {
		opened(opened.kind()).increment();
	}

	@TransactionalEventListener
	void on(IncidentResolved resolved) {
		ended(resolved.status()).increment();
	}

	@Scheduled(fixedDelayString = "#{@'rebound.metrics-io.rebound.MetricsProperties'.refresh().toMillis()}",
			initialDelay = 0)
	void refresh() {
		try {
			Map<IncidentStatus, Long> counts = new EnumMap<>(IncidentStatus.class);
			this.jdbc.query("SELECT status, count(*) FROM incidents WHERE status IN ('open', 'mitigating') GROUP BY 1",
					(rs) -> {
						counts.put(IncidentStatus.fromWire(rs.getString(1)), rs.getLong(2));
					});
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			for (IncidentStatus status : List.of(IncidentStatus.OPEN, IncidentStatus.MITIGATING)) {
				rows.add(MultiGauge.Row.of(Tags.of("status", status.wire()), counts.getOrDefault(status, 0L)));
			}
			this.byStatus.register(rows, true);
		}
		catch (RuntimeException ex) {
			log.warn("Refreshing the incident gauges failed; they keep their last values: {}", ex.toString());
		}
	}

	private Counter opened(String kind) {
		return Counter.builder("rebound.incidents.opened")
			.description("Incidents opened, by what opened them")
			.tag("kind", kind)
			.register(this.meters);
	}

	private Counter ended(IncidentStatus status) {
		return Counter.builder("rebound.incidents.ended")
			.description("Incidents resolved or closed (merges included)")
			.tag("status", status.wire())
			.register(this.meters);
	}

}
