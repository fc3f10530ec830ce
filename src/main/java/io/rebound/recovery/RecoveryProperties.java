package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of recovery, under {@code rebound.recovery}.
 *
 * @param interval how often the leader looks for steps that are due
 * @param stabilization the longest a target must stay healthy and its incident's errors
 * quiet before an attempt counts as a success; the window adapts below it (see
 * {@link Stabilization})
 * @param stabilizationMin the shortest stabilization window
 * @param stabilizationHeartbeats the window lasts at least this many of the target's
 * heartbeat intervals
 * @param stabilizationRecurrences and at least this many times the usual gap between its
 * incident's errors' events
 * @param cooldown the pause after a failed attempt before the next level acts; it doubles
 * with every level (a policy may set its own)
 * @param actionTimeout an executor call's timeout until a strategy has a record for the
 * kind of error
 * @param actionTimeoutMin the least adaptive timeout
 * @param actionTimeoutMax the most adaptive timeout
 * @param maxRestarts at most this many actions of level 3 or more per agent within
 * {@code restartWindow} (Erlang/OTP's intensity; a policy may set its own); beyond, the
 * run waits
 * @param restartWindow the window of {@code maxRestarts}
 * @param maxConcurrentHeavy at most this many actions of level 3 or more in flight
 * (acting or being verified) across the fleet
 * @param exploration weight of the exploration bonus that lets strategies with little
 * history be tried
 * @param relapseWindow the same fault on the same agent within this long after a success
 * counts against the strategy's stability
 * @param leaseTtl how long the recovery lease lasts without a renewal: the longest the
 * fleet is without a leader after the leader dies
 * @param leaseRenew how often the lease is renewed (or taken)
 * @param restartGrace how long an agent recovery restarted may stay silent before its
 * silence counts, and a restart's verification waits at most for it to be heard from
 * again
 * @param policies the policy tiers by name; a tier without an entry follows
 * {@code default}
 * @param commands the command templates the {@code command} executor may run, by name: an
 * argument list with placeholders {@code {agent}}, {@code {incident}}, {@code {level}},
 * {@code {verb}}; never a shell
 * @param webhooks where hand-overs to a person are sent
 */
@ConfigurationProperties("rebound.recovery")
record RecoveryProperties(@DefaultValue("500ms") Duration interval, @DefaultValue("30s") Duration stabilization,
		@DefaultValue("5s") Duration stabilizationMin, @DefaultValue("3") int stabilizationHeartbeats,
		@DefaultValue("2") int stabilizationRecurrences, @DefaultValue("10s") Duration cooldown,
		@DefaultValue("5s") Duration actionTimeout, @DefaultValue("1s") Duration actionTimeoutMin,
		@DefaultValue("60s") Duration actionTimeoutMax, @DefaultValue("3") int maxRestarts,
		@DefaultValue("10m") Duration restartWindow, @DefaultValue("5") int maxConcurrentHeavy,
		@DefaultValue("0.1") double exploration, @DefaultValue("10m") Duration relapseWindow,
		@DefaultValue("10s") Duration leaseTtl, @DefaultValue("2s") Duration leaseRenew,
		@DefaultValue("60s") Duration restartGrace, Map<String, Policy> policies, Map<String, List<String>> commands,
		List<Webhook> webhooks) {

	/**
	 * The start of a SpEL expression on these settings (the bean's name), for
	 * annotations: {@code BEAN + ".interval().toMillis()}"}.
	 */
	static final String BEAN = "#{@'rebound.recovery-io.rebound.recovery.RecoveryProperties'";

	RecoveryProperties {
		if (stabilizationHeartbeats < 1 || stabilizationRecurrences < 1) {
			throw new IllegalArgumentException(
					"rebound.recovery.stabilization-heartbeats and " + "stabilization-recurrences must be at least 1");
		}
		policies = (policies != null) ? Map.copyOf(policies) : Map.of();
		commands = (commands != null) ? Map.copyOf(commands) : Map.of();
		webhooks = (webhooks != null) ? List.copyOf(webhooks) : List.of();
		for (Map.Entry<String, Policy> policy : policies.entrySet()) {
			policy.getValue().check(policy.getKey(), commands.keySet(), webhooks);
		}
	}

	/**
	 * How long after an action a sign of life or an error may still be one that was on
	 * its way when the agent answered: half the longest stabilization window, at most two
	 * seconds (the clients send what they queued at least once a second, and flush it
	 * when they stop for a restart). Only what reaches the bus later counts as hearing
	 * from the agent again, or against its quiet.
	 */
	Duration inFlight() {
		Duration half = this.stabilization.dividedBy(2);
		return (half.compareTo(IN_FLIGHT) < 0) ? half : IN_FLIGHT;
	}

	private static final Duration IN_FLIGHT = Duration.ofSeconds(2);

	/** The policy of this tier, or {@code default}'s, or the built-in defaults. */
	Policy policy(String tier) {
		Policy policy = this.policies.get(tier);
		if (policy == null) {
			policy = this.policies.get("default");
		}
		return (policy != null) ? policy : Policy.DEFAULTS;
	}

	/** The pause before this level acts, under this policy. */
	Duration cooldownBefore(Policy policy, int level) {
		Duration base = (policy.cooldown() != null) ? policy.cooldown() : this.cooldown;
		return base.multipliedBy(1L << Math.max(0, Math.min(level - 2, 10)));
	}

	int maxRestarts(Policy policy) {
		return (policy.maxRestarts() != null) ? policy.maxRestarts() : this.maxRestarts;
	}

	Duration restartWindow(Policy policy) {
		return (policy.restartWindow() != null) ? policy.restartWindow() : this.restartWindow;
	}

	/**
	 * A place hand-overs to a person are sent.
	 *
	 * @param name how policies name it
	 * @param url where it is POSTed
	 * @param format {@code generic} (Rebound's JSON), {@code slack} (an incoming
	 * webhook's {@code text}) or {@code alertmanager} (Alertmanager's
	 * {@code /api/v2/alerts} list)
	 */
	record Webhook(String name, java.net.URI url, @DefaultValue("generic") String format) {

		Webhook {
			if (name == null || name.isBlank() || url == null) {
				throw new IllegalArgumentException("rebound.recovery.webhooks: every webhook needs a name and a url");
			}
			if (!List.of("generic", "slack", "alertmanager").contains(format)) {
				throw new IllegalArgumentException("rebound.recovery.webhooks." + name + ".format: '" + format
						+ "' is not one of generic, slack, alertmanager");
			}
		}

	}

}
