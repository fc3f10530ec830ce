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
 * @param maxRestarts at most this many actions of level 3 or more per agent within
 * {@code restartWindow} (Erlang/OTP's intensity); beyond, the run waits
 * @param restartWindow the window of {@code maxRestarts}
 */
@ConfigurationProperties("rebound.recovery")
record RecoveryProperties(@DefaultValue("500ms") Duration interval, @DefaultValue("30s") Duration stabilization,
		@DefaultValue("10s") Duration cooldown, @DefaultValue("5s") Duration actionTimeout,
		@DefaultValue("3") int maxRestarts, @DefaultValue("10m") Duration restartWindow) {

	Duration cooldownBefore(int level) {
		return this.cooldown.multipliedBy(1L << Math.max(0, Math.min(level - 2, 10)));
	}

}
