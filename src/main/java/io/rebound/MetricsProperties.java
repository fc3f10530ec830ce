package io.rebound;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the gauges every feature keeps, under {@code rebound.metrics}.
 *
 * @param refresh how often gauges read from the database (incidents, runs, agents by
 * state, open errors) are refreshed
 */
@ConfigurationProperties("rebound.metrics")
public record MetricsProperties(@DefaultValue("15s") Duration refresh) {

}
