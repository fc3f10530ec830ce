package io.rebound.client.resilience4j;

import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.rebound.client.ReboundClient;

/**
 * Listens to Resilience4j's event publishers — it never wraps their decorators: a circuit
 * breaker's transitions become events ({@code circuit_open} high, the others low) and its
 * state rides along in heartbeats; a retry that gives up becomes {@code retry_exhausted}.
 */
public final class Resilience4jBridge {

	private Resilience4jBridge() {
	}

	public static void watch(ReboundClient client, CircuitBreaker breaker) {
		client.breakerState(breaker.getName(), state(breaker.getState()));
		breaker.getEventPublisher().onStateTransition((event) -> {
			String to = state(event.getStateTransition().getToState());
			client.breakerState(event.getCircuitBreakerName(), to);
			client.report("circuit_" + to,
					"circuit breaker '" + event.getCircuitBreakerName() + "': "
							+ state(event.getStateTransition().getFromState()) + " -> " + to,
					"open".equals(to) ? "high" : "low",
					Map.of("breaker", event.getCircuitBreakerName(), "from",
							state(event.getStateTransition().getFromState()), "to", to, "failure_rate",
							breaker.getMetrics().getFailureRate()));
		});
	}

	public static void watch(ReboundClient client, Retry retry) {
		retry.getEventPublisher().onError((event) -> {
			Throwable last = event.getLastThrowable();
			client.report("retry_exhausted",
					"'" + event.getName() + "' failed " + event.getNumberOfRetryAttempts() + " retries: "
							+ ((last != null) ? last.getMessage() : "?"),
					"high", Map.of("retry", event.getName(), "attempts", event.getNumberOfRetryAttempts(), "error_type",
							(last != null) ? last.getClass().getSimpleName() : "unknown"));
		});
	}

	/** Watches every breaker of the registry, those added later too. */
	public static void watchAll(ReboundClient client, CircuitBreakerRegistry registry) {
		registry.getAllCircuitBreakers().forEach((breaker) -> watch(client, breaker));
		registry.getEventPublisher().onEntryAdded((event) -> watch(client, event.getAddedEntry()));
	}

	/** Watches every retry of the registry, those added later too. */
	public static void watchAll(ReboundClient client, RetryRegistry registry) {
		registry.getAllRetries().forEach((retry) -> watch(client, retry));
		registry.getEventPublisher().onEntryAdded((event) -> watch(client, event.getAddedEntry()));
	}

	private static String state(CircuitBreaker.State state) {
		return state.name().toLowerCase(java.util.Locale.ROOT);
	}

}
