package io.rebound.recovery;

import java.util.List;
import java.util.Map;
import java.util.Objects;

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
	Strategy restart() {
		return Strategy.onTarget("restart", 3, 0.6, "restart", Map.of());
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
	Strategy restartGroup() {
		return Strategy.of("restart-group", 5, 0.5,
				(target) -> Strategy.Plan.of(target.group()
					.stream()
					.map((n) -> target.on(n, "restart", Map.of()).orElse(null))
					.filter(Objects::nonNull)
					.toList(), target.agent().id() + " has no group (label 'group') to restart"));
	}

}
