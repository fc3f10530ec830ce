package io.rebound.errors;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Spike detection per error, under {@code rebound.errors.escalation}.
 *
 * @param enabled whether errors are checked for escalation at all
 * @param interval how often the current hour's counts are checked
 * @param minEvents the fewest events in an hour that can be an escalation
 * @param history an error younger than this has no baseline yet and is not judged
 */
@ConfigurationProperties("rebound.errors.escalation")
record EscalationProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1m") Duration interval,
		@DefaultValue("10") long minEvents, @DefaultValue("24h") Duration history) {
}
