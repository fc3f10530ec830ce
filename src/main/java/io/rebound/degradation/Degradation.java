package io.rebound.degradation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rebound.agents.AgentGraph;
import io.rebound.degradation.FeatureMap.Assessment;
import io.rebound.degradation.FeatureMap.FeatureState;
import io.rebound.recovery.RecoveringAgents;
import io.rebound.recovery.RecoveryLeadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Judges the feature map every {@code interval} on every instance (so each answers
 * {@code GET /api/degradation} from its own judgement, at most an interval old); the
 * instance that leads recovery stores each change and publishes it as
 * {@link DegradationChanged}.
 */
@Component
class Degradation {

	private static final Logger log = LoggerFactory.getLogger(Degradation.class);

	private final DegradationProperties properties;

	private final AgentGraph agents;

	private final RecoveringAgents recovering;

	private final RecoveryLeadership leadership;

	private final JdbcTemplate jdbc;

	private final ApplicationEventPublisher events;

	private volatile Judged current;

	/** An assessment and since when its level and features off hold. */
	record Judged(Assessment assessment, Instant since) {
	}

	Degradation(DegradationProperties properties, AgentGraph agents, RecoveringAgents recovering,
			RecoveryLeadership leadership, JdbcTemplate jdbc, ApplicationEventPublisher events, MeterRegistry meters) {
		this.properties = properties;
		this.agents = agents;
		this.recovering = recovering;
		this.leadership = leadership;
		this.jdbc = jdbc;
		this.events = events;
		Gauge
			.builder("rebound.degradation.level",
					() -> (this.current != null) ? this.current.assessment().level().ordinal() : 0)
			.description("The fleet's degradation level: 0 full, 1 minor, 2 moderate, 3 severe, 4 minimal, 5 emergency")
			.register(meters);
		Gauge
			.builder("rebound.degradation.features.off",
					() -> (this.current != null) ? this.current.assessment().off().size() : 0)
			.description("Features of the feature map that are off")
			.register(meters);
	}

	/** The newest judgement, judging now if there is none yet. */
	Judged current() {
		Judged judged = this.current;
		return (judged != null) ? judged : judge();
	}

	@Scheduled(
			fixedDelayString = "#{@'rebound.degradation-io.rebound.degradation.DegradationProperties'.interval().toMillis()}")
	void tick() {
		if (!this.properties.features().isEmpty()) {
			judge();
		}
	}

	synchronized Judged judge() {
		Assessment now = FeatureMap.assess(this.properties.features(), this.agents.graph(), this.recovering.now());
		Judged before = this.current;
		Instant at = Instant.now();
		if (before != null && before.assessment().level() == now.level()
				&& before.assessment().off().equals(now.off())) {
			this.current = new Judged(now, before.since());
			return this.current;
		}
		FleetLevel from = (before != null) ? before.assessment().level() : lastStored();
		this.current = new Judged(now, at);
		List<String> beforeOff = (before != null) ? before.assessment().off() : List.of();
		String why = why(beforeOff, now);
		if (before != null || from != now.level()) {
			log.info("Degradation {} -> {}: {}", from.wire(), now.level().wire(), why);
		}
		if (this.leadership.leading() && (before != null || from != now.level())) {
			this.jdbc.update("""
					INSERT INTO degradation_changes (at, from_level, to_level, features_off, why)
					VALUES (?, ?, ?, ?, ?)
					""", Timestamp.from(at), from.wire(), now.level().wire(), now.off().toArray(String[]::new), why);
			this.events.publishEvent(new DegradationChanged(from, now.level(), now.off(), why, at));
		}
		return this.current;
	}

	/** The changes stored, newest first. */
	List<Change> changes(int limit) {
		return this.jdbc.query("""
				SELECT at, from_level, to_level, features_off, why FROM degradation_changes
				ORDER BY id DESC LIMIT ?
				""",
				(rs, n) -> new Change(rs.getTimestamp("at").toInstant(), rs.getString("from_level"),
						rs.getString("to_level"), List.of((String[]) rs.getArray("features_off").getArray()),
						rs.getString("why")),
				limit);
	}

	/** A stored change. */
	record Change(Instant at, String from, String to, List<String> featuresOff, String why) {
	}

	private FleetLevel lastStored() {
		List<String> last = this.jdbc.queryForList("SELECT to_level FROM degradation_changes ORDER BY id DESC LIMIT 1",
				String.class);
		return last.isEmpty() ? FleetLevel.FULL : FleetLevel.valueOf(last.get(0).toUpperCase(java.util.Locale.ROOT));
	}

	private static String why(List<String> beforeOff, Assessment now) {
		List<String> parts = new ArrayList<>();
		for (FeatureState feature : now.features()) {
			boolean wasOff = beforeOff.contains(feature.name());
			if (!feature.enabled() && !wasOff) {
				parts.add(feature.name() + " off: " + String.join(", ", feature.why()));
			}
			else if (feature.enabled() && wasOff) {
				parts.add(feature.name() + " on again");
			}
		}
		return parts.isEmpty() ? "level " + now.level().wire()
				: String.join("; ", parts.stream().filter(Objects::nonNull).toList());
	}

}
