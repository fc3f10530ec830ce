package io.rebound.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.rebound.agents.AgentOverview;
import io.rebound.agents.HealthState;
import io.rebound.errors.OpenErrors;
import io.rebound.errors.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges of state that lives in PostgreSQL, refreshed every 15 s: agents per health state
 * ({@code rebound.agents}) and unresolved errors per severity
 * ({@code rebound.errors.open}). Every state and severity is always present, at 0 when
 * there is none, so dashboards and alerts see a series rather than nothing.
 */
@Component
class StateGauges {

	private static final Logger log = LoggerFactory.getLogger(StateGauges.class);

	private final AgentOverview agents;

	private final OpenErrors errors;

	private final MultiGauge agentsByState;

	private final MultiGauge openErrors;

	private volatile double oldestHeartbeatSeconds;

	/** A clock off by more than this is worth an operator's look (NTP). */
	static final long CLOCK_SKEW_MS = 30_000;

	private volatile double clockSkewed;

	private final TableSizes tables;

	private final MultiGauge tableBytes;

	StateGauges(AgentOverview agents, OpenErrors errors, MeterRegistry meters, TableSizes tables) {
		this.tables = tables;
		this.tableBytes = MultiGauge.builder("rebound.db.table.size")
			.description("Disk used by each of Rebound's tables, indexes included")
			.baseUnit("bytes")
			.register(meters);
		this.agents = agents;
		this.errors = errors;
		this.agentsByState = MultiGauge.builder("rebound.agents")
			.description("Agents per health state")
			.register(meters);
		this.openErrors = MultiGauge.builder("rebound.errors.open")
			.description("Errors not resolved (open or regressed), per severity")
			.register(meters);
		Gauge.builder("rebound.agents.heartbeat.age.max", this, (gauges) -> gauges.oldestHeartbeatSeconds)
			.description("Seconds since the oldest last heartbeat among agents expected to heartbeat")
			.baseUnit("seconds")
			.register(meters);
		Gauge.builder("rebound.agents.clock.skewed", this, (gauges) -> gauges.clockSkewed)
			.description("Agents whose clocks are off by more than 30 s (median over their recent events)")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "#{@'rebound.metrics-io.rebound.MetricsProperties'.refresh().toMillis()}",
			initialDelay = 0)
	void refresh() {
		try {
			List<MultiGauge.Row<?>> sizes = new ArrayList<>();
			for (TableSizes.TableSize table : this.tables.all()) {
				sizes.add(MultiGauge.Row.of(Tags.of("table", table.table()), table.bytes()));
			}
			this.tableBytes.register(sizes, true);
		}
		catch (RuntimeException ex) {
			log.warn("Refreshing the table sizes failed; they keep their last values: {}", ex.toString());
		}
		try {
			Map<HealthState, Long> states = this.agents.countByState();
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			for (HealthState state : HealthState.values()) {
				rows.add(MultiGauge.Row.of(Tags.of("state", state.wire()), states.getOrDefault(state, 0L)));
			}
			this.agentsByState.register(rows, true);
			Map<Severity, Long> open = this.errors.countBySeverity();
			List<MultiGauge.Row<?>> severities = new ArrayList<>();
			for (Severity severity : Severity.values()) {
				severities
					.add(MultiGauge.Row.of(Tags.of("severity", severity.wire()), open.getOrDefault(severity, 0L)));
			}
			this.openErrors.register(severities, true);
			this.oldestHeartbeatSeconds = this.agents.oldestHeartbeatAgeSeconds();
			this.clockSkewed = this.agents.countClockSkewed(CLOCK_SKEW_MS);
		}
		catch (RuntimeException ex) {
			log.warn("Refreshing the state gauges failed; they keep their last values: {}", ex.toString());
		}
	}

}
