package io.rebound;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the growing tables keep their rows, under {@code rebound.retention}; errors,
 * their aggregates, incidents, recovery runs and the records strategies are chosen by
 * stay.
 *
 * @param outbox events Rebound published from its outbox, after they were published
 * @param healthHistory agents' health transitions
 * @param audit people's actions
 * @param attempts recovery attempts of runs that ended
 * @param hookDeliveries webhook notifications taken or abandoned
 * @param suppressed per-source counts of events over a noise limit, after their last
 * @param interval how often the leader drops what is older
 * @param events error events, by whole days of receipt (their errors stay)
 */
@ConfigurationProperties("rebound.retention")
record RetentionProperties(@DefaultValue("1d") Duration outbox, @DefaultValue("30d") Duration healthHistory,
		@DefaultValue("365d") Duration audit, @DefaultValue("90d") Duration attempts,
		@DefaultValue("7d") Duration hookDeliveries, @DefaultValue("30d") Duration suppressed,
		@DefaultValue("1h") Duration interval, @DefaultValue("14d") Duration events) {

	static final String BEAN = "#{@'rebound.retention-io.rebound.RetentionProperties'";

}
