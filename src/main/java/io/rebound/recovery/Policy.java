package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How recovery treats the agents of one tier (an agent names its tier as its
 * {@code policy}), like {@code healing_policies} in the original design. Unset values
 * follow the global settings.
 *
 * @param allowedLevels the levels Rebound may carry out for these agents (a level not
 * allowed is skipped; level 5 not allowed means a person instead)
 * @param attemptsPerLevel attempts at a level before climbing
 * @param cooldown the base cooldown (doubling per level), or {@code null}
 * @param maxRestarts actions of level 3 or more per agent within {@code restartWindow},
 * or {@code null}
 * @param restartWindow or {@code null}
 * @param approveLevelFive whether level 5 waits for a person's approval
 * @param backupInstances how many instances level 4's {@code scale-up} adds
 * @param kubernetes where these agents run in Kubernetes, or {@code null}: then restarts
 * and scaling go through the {@code kubernetes} executor
 * @param commands command templates (from {@code rebound.recovery.commands}) by verb
 * ({@code restart}, {@code scale}, …): then that verb goes through the {@code command}
 * executor
 * @param webhooks the webhooks (by name) told when a person is needed; empty: all
 */
record Policy(@DefaultValue( {
		"1", "2", "3", "4", "5" }) Set<Integer> allowedLevels, @DefaultValue("1") int attemptsPerLevel,
		Duration cooldown, Integer maxRestarts, Duration restartWindow, @DefaultValue("false") boolean approveLevelFive,
		@DefaultValue("1") int backupInstances, Kubernetes kubernetes, Map<String, String> commands,
		List<String> webhooks){

	static final Policy DEFAULTS = new Policy(Set.of(1, 2, 3, 4, 5), 1, null, null, null, false, 1, null, Map.of(),
			List.of());

	Policy {
		allowedLevels = Set.copyOf(allowedLevels);
		commands = (commands != null) ? Map.copyOf(commands) : Map.of();
		webhooks = (webhooks != null) ? List.copyOf(webhooks) : List.of();
	}

	boolean allows(int level) {
		return this.allowedLevels.contains(level);
	}

	void check(String tier, Set<String> templates, List<RecoveryProperties.Webhook> webhooks) {
		String at = "rebound.recovery.policies." + tier + ".";
		for (int level : this.allowedLevels) {
			if (level < 1 || level > 5) {
				throw new IllegalArgumentException(at + "allowed-levels: " + level + " is not a level from 1 to 5");
			}
		}
		if (this.attemptsPerLevel < 1 || this.attemptsPerLevel > 10) {
			throw new IllegalArgumentException(at + "attempts-per-level: must be from 1 to 10");
		}
		if (this.maxRestarts != null && this.maxRestarts < 0) {
			throw new IllegalArgumentException(at + "max-restarts: must not be negative");
		}
		this.commands.forEach((verb, template) -> {
			if (!templates.contains(template)) {
				throw new IllegalArgumentException(at + "commands." + verb + ": no template '" + template
						+ "' in rebound.recovery.commands (known: " + templates + ")");
			}
		});
		for (String name : this.webhooks) {
			if (webhooks.stream().noneMatch((w) -> w.name().equals(name))) {
				throw new IllegalArgumentException(
						at + "webhooks: no webhook '" + name + "' in rebound.recovery.webhooks");
			}
		}
	}

	/**
	 * A workload in Kubernetes.
	 *
	 * @param namespace its namespace
	 * @param kind {@code Deployment} or {@code StatefulSet}
	 * @param name its name; {@code {agent}} stands for the agent's id
	 */
	record Kubernetes(@DefaultValue("default") String namespace, @DefaultValue("Deployment") String kind,
			@DefaultValue("{agent}") String name) {

		Kubernetes {
			if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
				throw new IllegalArgumentException("kubernetes.kind: '" + kind + "' is not Deployment or StatefulSet");
			}
		}

		String nameOf(String agent) {
			return this.name.replace("{agent}", agent);
		}

	}

}
