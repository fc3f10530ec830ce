package io.rebound.hooks;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rebound.recovery.RecoveryLeadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends what the outbox holds, on the recovery leader: each notification POSTed with its
 * {@code Idempotency-Key} (the same on every attempt) until the subscriber answers 2xx;
 * otherwise again after a pause that doubles from {@code first-retry} to
 * {@code max-retry}, and abandoned after {@code give-up-after}.
 */
@Component
class HookSender {

	private static final Logger log = LoggerFactory.getLogger(HookSender.class);

	private final HookOutbox outbox;

	private final HooksProperties properties;

	private final RecoveryLeadership leadership;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	private final MeterRegistry meters;

	HookSender(HookOutbox outbox, HooksProperties properties, RecoveryLeadership leadership, MeterRegistry meters) {
		this.outbox = outbox;
		this.properties = properties;
		this.leadership = leadership;
		this.meters = meters;
	}

	@Scheduled(fixedDelayString = HooksProperties.BEAN + ".interval().toMillis()}")
	void send() {
		if (this.properties.subscriptions().isEmpty() || !this.leadership.leading()) {
			return;
		}
		try {
			for (HookOutbox.Delivery delivery : this.outbox.due(50)) {
				send(delivery);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Sending webhook notifications failed; tried again shortly: {}", ex.toString());
		}
	}

	private void send(HookOutbox.Delivery delivery) {
		HooksProperties.Subscription subscription = this.properties.subscriptions()
			.stream()
			.filter((s) -> s.name().equals(delivery.subscription()))
			.findFirst()
			.orElse(null);
		if (subscription == null) {
			this.outbox.failed(delivery.id(), "the subscription is no longer configured", Duration.ZERO, true);
			return;
		}
		String answer;
		boolean ok = false;
		try {
			HttpResponse<Void> response = this.client.send(HttpRequest.newBuilder(subscription.url())
				.timeout(this.properties.timeout())
				.header("Content-Type", "application/json")
				.header("Idempotency-Key", delivery.id().toString())
				.header("X-Rebound-Event", delivery.event())
				.POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
				.build(), HttpResponse.BodyHandlers.discarding());
			answer = Integer.toString(response.statusCode());
			ok = response.statusCode() / 100 == 2;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (Exception ex) {
			answer = ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}
		if (ok) {
			this.outbox.delivered(delivery.id(), answer);
			count(subscription, "delivered");
			return;
		}
		long factor = 1L << Math.min(20, delivery.attempts());
		Duration pause = this.properties.firstRetry().multipliedBy(factor);
		if (pause.compareTo(this.properties.maxRetry()) > 0) {
			pause = this.properties.maxRetry();
		}
		boolean abandon = delivery.createdAt().plus(this.properties.giveUpAfter()).isBefore(Instant.now());
		this.outbox.failed(delivery.id(), answer, pause, abandon);
		count(subscription, abandon ? "abandoned" : "failed");
		if (abandon) {
			log.warn("Webhook {} never took notification {} ({}); abandoned after {}", subscription.name(),
					delivery.id(), delivery.event(), this.properties.giveUpAfter());
		}
	}

	private void count(HooksProperties.Subscription subscription, String outcome) {
		Counter.builder("rebound.hooks.deliveries")
			.description("Webhook notification attempts, by subscription and outcome")
			.tags("subscription", subscription.name(), "outcome", outcome)
			.register(this.meters)
			.increment();
	}

}
