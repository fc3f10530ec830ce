package io.rebound.recovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of recovery, under {@code rebound.recovery}.
 *
 * @param interval how often the leader looks for steps that are due
 * @param stabilization how long a target must stay healthy and its incident's errors
 * quiet before an attempt counts as a success
 * @param cooldown the pause after a failed attempt before the next level acts; it doubles
 * with every level
 * @param actionTimeout how long an executor's call may take
 */
@ConfigurationProperties("rebound.recovery")
record RecoveryProperties(@DefaultValue("500ms") Duration interval, @DefaultValue("30s") Duration stabilization,
		@DefaultValue("10s") Duration cooldown, @DefaultValue("5s") Duration actionTimeout) {

	Duration cooldownBefore(int level) {
		return this.cooldown.multipliedBy(1L << Math.max(0, Math.min(level - 2, 10)));
	}

}
