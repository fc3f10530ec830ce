package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.rebound.agents.AgentGraph;

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
 * @param circuitOpenFor how long {@code circuit-break} keeps the agent's breakers open
 * before they let canary calls through
 * @param symptoms which strategy a run starts with when the agent's newest heartbeat
 * shows a symptom, before the records are asked
 * @param resourcesFactor how much more CPU and memory {@code restart-more-resources}
 * gives a Kubernetes workload
 */
record Policy(@DefaultValue( {
		"1", "2", "3", "4", "5" }) Set<Integer> allowedLevels, @DefaultValue("1") int attemptsPerLevel,
		Duration cooldown, Integer maxRestarts, Duration restartWindow, @DefaultValue("false") boolean approveLevelFive,
		@DefaultValue("1") int backupInstances, Kubernetes kubernetes, Map<String, String> commands,
		List<String> webhooks, @DefaultValue("30s") Duration circuitOpenFor, @DefaultValue Symptoms symptoms,
		@DefaultValue("1.5") double resourcesFactor){

	static final Policy DEFAULTS = new Policy(Set.of(1, 2, 3, 4, 5), 1, null, null, null, false, 1, null, Map.of(),
			List.of(), Duration.ofSeconds(30), Symptoms.DEFAULTS, 1.5);

	Policy {
		allowedLevels = Set.copyOf(allowedLevels);
		symptoms = (symptoms != null) ? symptoms : Symptoms.DEFAULTS;
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
	 * Choice by symptom (the seeds' matrix): what the agent's newest heartbeat shows
	 * decides the strategy a run starts with, checked in this order — a rollout (its
	 * registered version changed) within {@code rollout}, then resource exhaustion
	 * ({@code memory} or {@code cpu} at or above its bound), then an error rate at or
	 * above {@code errorRate}, then a response time at or above {@code latency}. Each
	 * names a strategy, or several separated by commas (the first that can act on the
	 * agent is taken); an empty one turns the symptom off; when none can act, the choice
	 * stays as it was.
	 *
	 * @param memory memory use (0 to 1) that counts as exhaustion
	 * @param cpu CPU use (0 to 1) that counts as exhaustion
	 * @param onResources the strategy for resource exhaustion
	 * @param errorRate the error rate (0 to 1) that calls for {@code onErrorRate}
	 * @param onErrorRate the strategy for a high error rate
	 * @param latency the response time that calls for {@code onLatency}
	 * @param onLatency the strategy for high latency
	 * @param rollout a failure this soon after the agent's version changed is a rollout's
	 * @param onRollout the strategy for a failure right after a rollout
	 */
	record Symptoms(@DefaultValue("0.95") double memory, @DefaultValue("0.95") double cpu,
			@DefaultValue("restart-more-resources,restart") String onResources, @DefaultValue("0.5") double errorRate,
			@DefaultValue("circuit-break") String onErrorRate, @DefaultValue("2s") Duration latency,
			@DefaultValue("scale-up") String onLatency, @DefaultValue("10m") Duration rollout,
			@DefaultValue("rollback") String onRollout) {

		static final Symptoms DEFAULTS = new Symptoms(0.95, 0.95, "restart-more-resources,restart", 0.5,
				"circuit-break", Duration.ofSeconds(2), "scale-up", Duration.ofMinutes(10), "rollback");

		/**
		 * The strategy the agent's state calls for and why, or empty.
		 * @param signals the agent's newest heartbeat
		 * @param versionChangedAt when its version last changed, or {@code null}
		 * @param now Rebound's clock
		 * @return the strategy's name and the symptom that chose it
		 */
		Optional<Map.Entry<String, String>> choose(AgentGraph.Signals signals, java.time.Instant versionChangedAt,
				java.time.Instant now) {
			if (!this.onRollout.isEmpty() && versionChangedAt != null
					&& !versionChangedAt.isBefore(now.minus(this.rollout))) {
				return Optional.of(Map.entry(this.onRollout, "a rollout "
						+ Duration.between(versionChangedAt, now).toSeconds() + " s before (its version changed)"));
			}
			if (!this.onResources.isEmpty() && signals.memory() != null && signals.memory() >= this.memory) {
				return Optional.of(Map.entry(this.onResources,
						"resource exhaustion: memory " + signals.memory() + " >= " + this.memory));
			}
			if (!this.onResources.isEmpty() && signals.cpu() != null && signals.cpu() >= this.cpu) {
				return Optional
					.of(Map.entry(this.onResources, "resource exhaustion: cpu " + signals.cpu() + " >= " + this.cpu));
			}
			if (!this.onErrorRate.isEmpty() && signals.errorRate() != null && signals.errorRate() >= this.errorRate) {
				return Optional
					.of(Map.entry(this.onErrorRate, "error rate " + signals.errorRate() + " >= " + this.errorRate));
			}
			if (!this.onLatency.isEmpty() && signals.responseTimeMs() != null
					&& signals.responseTimeMs() >= this.latency.toMillis()) {
				return Optional.of(Map.entry(this.onLatency, "high latency: response time "
						+ signals.responseTimeMs().longValue() + " ms >= " + this.latency.toMillis() + " ms"));
			}
			return Optional.empty();
		}

		/** The strategies it names. */
		List<String> strategies() {
			return java.util.stream.Stream.of(this.onRollout, this.onResources, this.onErrorRate, this.onLatency)
				.flatMap((s) -> java.util.Arrays.stream(s.split(",")))
				.map(String::trim)
				.filter((s) -> !s.isEmpty())
				.toList();
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
