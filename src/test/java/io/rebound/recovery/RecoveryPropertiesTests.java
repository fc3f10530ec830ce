package io.rebound.recovery;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Policy tiers as an operator writes them (bound the way Spring Boot binds
 * {@code rebound.recovery.*}): defaults, a tier falling back to {@code default}, the
 * cooldown doubling per level, and configuration mistakes stopping Rebound with a message
 * that names the setting.
 */
class RecoveryPropertiesTests {

	@Test
	void policiesBindWithTheirDefaultsAndUnknownTiersFollowDefault() {
		RecoveryProperties properties = bind(Map.of("rebound.recovery.policies.default.attempts-per-level", "2",
				"rebound.recovery.policies.critical.allowed-levels", "1,2,5",
				"rebound.recovery.policies.critical.approve-level-five", "true",
				"rebound.recovery.policies.critical.cooldown", "1s", "rebound.recovery.policies.critical.max-restarts",
				"1", "rebound.recovery.policies.k8s.kubernetes.namespace", "shop",
				"rebound.recovery.commands.restart-unit[0]", "systemctl", "rebound.recovery.commands.restart-unit[1]",
				"restart", "rebound.recovery.policies.vm.commands.restart", "restart-unit"));

		Policy critical = properties.policy("critical");
		assertThat(critical.allowedLevels()).isEqualTo(Set.of(1, 2, 5));
		assertThat(critical.approveLevelFive()).isTrue();
		assertThat(critical.attemptsPerLevel()).isEqualTo(1);
		assertThat(properties.maxRestarts(critical)).isEqualTo(1);
		assertThat(properties.cooldownBefore(critical, 2)).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.cooldownBefore(critical, 4)).isEqualTo(Duration.ofSeconds(4));
		assertThat(properties.policy("nobody-named-this").attemptsPerLevel()).isEqualTo(2);
		assertThat(properties.maxRestarts(properties.policy("default"))).isEqualTo(3);
		assertThat(properties.policy("k8s").kubernetes())
			.isEqualTo(new Policy.Kubernetes("shop", "Deployment", "{agent}"));
		assertThat(properties.policy("k8s").kubernetes().nameOf("payments-1")).isEqualTo("payments-1");
		assertThat(properties.policy("vm").commands()).containsEntry("restart", "restart-unit");
	}

	@Test
	void withoutAnyPolicyTheBuiltInDefaultsHold() {
		RecoveryProperties properties = bind(Map.of("rebound.recovery.interval", "1s"));

		assertThat(properties.policy("default")).isEqualTo(Policy.DEFAULTS);
		assertThat(properties.cooldownBefore(Policy.DEFAULTS, 3)).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void mistakesNameTheSetting() {
		assertThat(failure(Map.of("rebound.recovery.policies.critical.allowed-levels", "1,9")))
			.contains("rebound.recovery.policies.critical.allowed-levels: 9 is not a level from 1 to 5");
		assertThat(failure(Map.of("rebound.recovery.policies.vm.commands.restart", "nope")))
			.contains("rebound.recovery.policies.vm.commands.restart: no template 'nope'");
		assertThat(failure(Map.of("rebound.recovery.policies.x.webhooks[0]", "pager")))
			.contains("rebound.recovery.policies.x.webhooks: no webhook 'pager'");
		assertThat(failure(Map.of("rebound.recovery.policies.x.kubernetes.kind", "DaemonSet")))
			.contains("kubernetes.kind: 'DaemonSet' is not Deployment or StatefulSet");
		assertThat(failure(Map.of("rebound.recovery.policies.x.attempts-per-level", "0")))
			.contains("attempts-per-level: must be from 1 to 10");
	}

	private static RecoveryProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("rebound.recovery",
				RecoveryProperties.class);
	}

	private static String failure(Map<String, String> settings) {
		BindException ex = assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(settings)).actual();
		StringBuilder messages = new StringBuilder();
		for (Throwable t = ex; t != null; t = t.getCause()) {
			messages.append(t.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
