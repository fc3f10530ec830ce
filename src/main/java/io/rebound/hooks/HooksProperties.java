package io.rebound.hooks;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rebound.errors.Category;
import io.rebound.errors.Severity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook subscriptions, under {@code rebound.hooks}.
 *
 * @param subscriptions who is told what
 * @param interval how often the outbox is looked at
 * @param firstRetry the pause after a failed delivery; it doubles with every failure
 * @param maxRetry the longest pause between attempts
 * @param giveUpAfter a notification not taken for this long is abandoned (and counted)
 * @param timeout each delivery's timeout
 */
@ConfigurationProperties("rebound.hooks")
record HooksProperties(List<Subscription> subscriptions, @DefaultValue("500ms") Duration interval,
		@DefaultValue("1s") Duration firstRetry, @DefaultValue("5m") Duration maxRetry,
		@DefaultValue("24h") Duration giveUpAfter, @DefaultValue("5s") Duration timeout) {

	/** The events a subscription may name. */
	static final Set<String> EVENTS = Set.of("incident.opened", "incident.escalated", "incident.resolved",
			"agent.degraded", "agent.critical", "agent.failed", "recovery.person_needed", "recovery.approval_needed",
			"recovery.verified");

	static final String BEAN = "#{@'rebound.hooks-io.rebound.hooks.HooksProperties'";

	HooksProperties {
		subscriptions = (subscriptions != null) ? List.copyOf(subscriptions) : List.of();
		for (Subscription subscription : subscriptions) {
			subscription.check();
		}
	}

	/**
	 * One subscriber.
	 *
	 * @param name its name, in the outbox and the logs
	 * @param url where notifications are POSTed
	 * @param format {@code generic}, {@code slack} or {@code alertmanager}
	 * @param events the events it wants (all when empty)
	 * @param minSeverity only notifications at least this severe (all when {@code null})
	 * @param policies only about agents of these policy tiers (all when empty)
	 * @param categories only about incidents of these categories (all when empty)
	 * @param labels only about agents with all of these labels (all when empty)
	 */
	record Subscription(String name, URI url, @DefaultValue("generic") String format, List<String> events,
			String minSeverity, List<String> policies, List<String> categories, Map<String, String> labels) {

		Subscription {
			events = (events != null) ? List.copyOf(events) : List.of();
			policies = (policies != null) ? List.copyOf(policies) : List.of();
			categories = (categories != null) ? List.copyOf(categories) : List.of();
			labels = (labels != null) ? Map.copyOf(labels) : Map.of();
		}

		void check() {
			String at = "rebound.hooks.subscriptions." + this.name;
			if (this.name == null || this.name.isBlank() || this.url == null) {
				throw new IllegalStateException("rebound.hooks.subscriptions: each needs a name and a url");
			}
			if (!Set.of("generic", "slack", "alertmanager").contains(this.format)) {
				throw new IllegalStateException(
						at + ".format: '" + this.format + "' is not one of generic, slack, alertmanager");
			}
			for (String event : this.events) {
				if (!EVENTS.contains(event)) {
					throw new IllegalStateException(at + ".events: '" + event + "' is not one of " + EVENTS);
				}
			}
			for (String category : this.categories) {
				if (Category.fromWire(category) == null) {
					throw new IllegalStateException(at + ".categories: '" + category + "' is not a category");
				}
			}
			if (this.minSeverity != null && Severity.fromWire(this.minSeverity) == null) {
				throw new IllegalStateException(
						at + ".min-severity: '" + this.minSeverity + "' is not a severity (critical … info)");
			}
		}

		boolean wants(Notification notification) {
			return (this.events.isEmpty() || this.events.contains(notification.event()))
					&& (this.minSeverity == null || notification.severity() == null
							|| notification.severity().rank() >= Severity.fromWire(this.minSeverity).rank())
					&& (this.policies.isEmpty() || this.policies.contains(notification.policy()))
					&& (this.categories.isEmpty() || this.categories.contains(notification.category()))
					&& this.labels.entrySet()
						.stream()
						.allMatch((label) -> label.getValue().equals(notification.labels().get(label.getKey())));
		}

	}

}
