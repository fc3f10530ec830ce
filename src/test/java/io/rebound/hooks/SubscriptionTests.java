package io.rebound.hooks;

import java.time.Instant;
import java.util.Map;

import io.rebound.Settings;
import io.rebound.errors.Severity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** What a subscription's filters let through. */
class SubscriptionTests {

	@Test
	void everyFilterMustMatch() {
		HooksProperties.Subscription oncall = subscription("events=incident.opened,incident.escalated",
				"min-severity=high", "policies=critical", "categories=database,network", "labels.team=payments");

		assertThat(oncall.wants(notification("incident.opened", Severity.CRITICAL, "critical", "database",
				Map.of("team", "payments", "zone", "a"))))
			.isTrue();
		assertThat(oncall.wants(notification("incident.resolved", Severity.CRITICAL, "critical", "database",
				Map.of("team", "payments"))))
			.as("another event")
			.isFalse();
		assertThat(oncall.wants(
				notification("incident.opened", Severity.MEDIUM, "critical", "database", Map.of("team", "payments"))))
			.as("less severe")
			.isFalse();
		assertThat(oncall
			.wants(notification("incident.opened", Severity.HIGH, "default", "database", Map.of("team", "payments"))))
			.as("another tier")
			.isFalse();
		assertThat(oncall
			.wants(notification("incident.opened", Severity.HIGH, "critical", "resource", Map.of("team", "payments"))))
			.as("another category")
			.isFalse();
		assertThat(oncall.wants(notification("incident.opened", Severity.HIGH, "critical", "database", Map.of())))
			.as("without the label")
			.isFalse();
		assertThat(oncall.wants(
				notification("incident.escalated", Severity.HIGH, "critical", "network", Map.of("team", "payments"))))
			.isTrue();
	}

	@Test
	void withoutFiltersEverythingIsSent() {
		assertThat(subscription().wants(notification("agent.failed", null, null, null, Map.of()))).isTrue();
	}

	@Test
	void anUnknownCategoryStopsStartUpNamingTheSetting() {
		assertThatIllegalStateException().isThrownBy(() -> subscription("categories=weather").check())
			.withMessage("rebound.hooks.subscriptions.ops.categories: 'weather' is not a category");
	}

	private static HooksProperties.Subscription subscription(String... settings) {
		String[] all = new String[settings.length + 2];
		all[0] = "name=ops";
		all[1] = "url=http://127.0.0.1:9/hook";
		System.arraycopy(settings, 0, all, 2, settings.length);
		return Settings.bind("s", HooksProperties.Subscription.class, all);
	}

	private static Notification notification(String event, Severity severity, String policy, String category,
			Map<String, String> labels) {
		return new Notification(event, event + ":1", severity, "agent-1", policy, category, labels, "summary", Map.of(),
				Instant.EPOCH);
	}

}
