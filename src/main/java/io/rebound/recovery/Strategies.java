package io.rebound.recovery;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.rebound.agents.AgentGraph;
import io.rebound.agents.HealthState;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The built-in strategies. L1: {@code retry}, and {@code wait-and-watch} (no action) for
 * transient errors. L2: {@code reload} (configuration) and {@code retry-extended} (a
 * retry with extended parameters). L3: {@code restart}. L4: {@code restart-dependencies}
 * and {@code scale-up} (the policy's backup instances). L5: {@code restart-group} (every
 * agent of its group), else a person. Priors order a level's strategies until records
 * speak.
 */
@Configuration(proxyBeanMethods = false)
class Strategies {

	@Bean
	Strategy retry() {
		return Strategy.onTarget("retry", 1, 0.6, "retry", Map.of());
	}

	@Bean
	Strategy waitAndWatch() {
		// transient faults often pass on their own: watching costs nothing
		return Strategy.of("wait-and-watch", 1, 0.5, (target) -> "transient".equals(target.errorClass())
				? Strategy.Plan.watch() : new Strategy.Plan(List.of(), "only for transient errors"));
	}

	@Bean
	Strategy reload() {
		return Strategy.onTarget("reload", 2, 0.55, "reload", Map.of());
	}

	@Bean
	Strategy retryExtended() {
		return Strategy.onTarget("retry-extended", 2, 0.5, "retry",
				Map.of("extended", "true", "timeout_factor", "3", "max_attempts", "5"));
	}

	@Bean
	Strategy circuitBreak() {
		// the seeds' circuit break: the agent opens its breakers and sheds load for the
		// policy's circuit-open-for, lets canary calls through half-open, and closes when
		// they succeed; verified only once every breaker it reports is closed again
		return Strategy.of("circuit-break", 2, 0.5, (target) -> {
			AgentGraph.Node agent = target.agent();
			if (!agent.handles("circuit-break") || agent.signals().breakers().isEmpty()) {
				return new Strategy.Plan(List.of(), agent.id() + " reports no circuit breakers it lets Rebound open");
			}
			return Strategy.Plan.of(target
				.on(agent, "circuit-break",
						Map.of("open_for_ms", Long.toString(target.policy().circuitOpenFor().toMillis())))
				.stream()
				.toList(), "no way to reach " + agent.id());
		});
	}

	@Bean
	Strategy fallback() {
		// the agent keeps running with reduced features (its own choice of which)
		return Strategy.of("fallback", 2, 0.45,
				(target) -> target.agent().handles("fallback")
						? Strategy.Plan.of(target.on(target.agent(), "fallback", Map.of()).stream().toList(),
								"no way to reach " + target.agent().id())
						: new Strategy.Plan(List.of(), target.agent().id() + " has no fallback mode"));
	}

	@Bean
	Strategy restart() {
		return Strategy.onTarget("restart", 3, 0.6, "restart", Map.of());
	}

	@Bean
	Strategy rollback() {
		// a failure that began right after a rollout: back to the previous revision
		return Strategy.of("rollback", 3, 0.6, (target) -> {
			AgentGraph.Node agent = target.agent();
			java.time.Instant changed = agent.versionChangedAt();
			java.time.Duration window = target.policy().symptoms().rollout();
			if (changed == null || changed.isBefore(java.time.Instant.now().minus(window))) {
				return new Strategy.Plan(List.of(),
						agent.id() + "'s version did not change within " + window + " (rollout window)");
			}
			return Strategy.Plan.of(target.on(agent, "rollback", Map.of()).stream().toList(), "no way to roll "
					+ agent.id() + " back: no Kubernetes Deployment, command template or " + "rollback verb");
		});
	}

	@Bean
	Strategy restartMoreResources() {
		// resource exhaustion: a restart with more CPU and memory, where the executor can
		// give them (a Kubernetes workload)
		return Strategy.of("restart-more-resources", 3, 0.45, (target) -> {
			Optional<Strategy.Action> action = target.on(target.agent(), "restart",
					Map.of("resources_factor", Double.toString(target.policy().resourcesFactor())));
			return action.filter((a) -> a.executor().equals("kubernetes"))
				.map((a) -> new Strategy.Plan(List.of(a), null))
				.orElse(new Strategy.Plan(List.of(), "only a Kubernetes workload can be given more resources; "
						+ target.agent().id() + "'s policy places it in none"));
		});
	}

	@Bean
	Strategy restartDependencies() {
		return Strategy.of("restart-dependencies", 4, 0.55,
				(target) -> Strategy.Plan.of(target.dependencies()
					.stream()
					.map((d) -> target.on(d, "restart", Map.of()).orElse(null))
					.filter(Objects::nonNull)
					.toList(), "no dependency of " + target.agent().id() + " can be restarted"));
	}

	@Bean
	Strategy scaleUp() {
		return Strategy.of(
				"scale-up", 4, 0.5, (
						target) -> Strategy.Plan.of(
								target
									.on(target.agent(), "scale",
											Map.of("replicas_delta",
													Integer.toString(target.policy().backupInstances())))
									.stream()
									.toList(),
								"no way to scale " + target.agent().id()));
	}

	@Bean
	Strategy failover() {
		// the backup the registry names (label backup) takes over the agent's work; it is
		// the backup whose health the verification judges
		return Strategy.of("failover", 4, 0.55, (target) -> {
			Optional<AgentGraph.Node> backup = target.backup();
			if (backup.isEmpty()) {
				return new Strategy.Plan(List.of(), target.agent().id() + " names no backup (label 'backup')");
			}
			if (!backup.get().handles("take-over") || backup.get().state() != HealthState.HEALTHY) {
				return new Strategy.Plan(List.of(),
						"its backup " + backup.get().id() + " cannot take over (" + backup.get().state().wire()
								+ (backup.get().handles("take-over") ? "" : ", no take-over verb") + ")");
			}
			return Strategy.Plan.of(
					target.on(backup.get(), "take-over", Map.of("for", target.agent().id())).stream().toList(),
					"no way to reach " + backup.get().id());
		});
	}

	@Bean
	Strategy restartGroup() {
		return Strategy.of("restart-group", 5, 0.5,
				(target) -> Strategy.Plan.of(target.group()
					.stream()
					.map((n) -> target.on(n, "restart", Map.of()).orElse(null))
					.filter(Objects::nonNull)
					.toList(), target.agent().id() + " has no group (label 'group') to restart"));
	}

}
