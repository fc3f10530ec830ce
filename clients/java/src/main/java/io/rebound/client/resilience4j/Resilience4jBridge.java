package io.rebound.client.resilience4j;

import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.rebound.client.ControlAnswer;
import io.rebound.client.ReboundClient;

/**
 * Listens to Resilience4j's event publishers — it never wraps their decorators: a circuit
 * breaker's transitions become events ({@code circuit_open} high, the others low) and its
 * state rides along in heartbeats; a retry that gives up becomes {@code retry_exhausted}.
 */
public final class Resilience4jBridge {

	private Resilience4jBridge() {
	}

	/** The breakers watched for each client, which Rebound's {@code circuit-break} opens. */
	private static final Map<ReboundClient, List<CircuitBreaker>> WATCHED = java.util.Collections
		.synchronizedMap(new java.util.WeakHashMap<>());

	/**
	 * Watches this breaker: its transitions become events and its state rides in
	 * heartbeats; and Rebound's {@code circuit-break} opens it (with every other breaker
	 * watched for this client) for the call's {@code open_for_ms}, after which
	 * Resilience4j lets its half-open calls through as canaries and closes it by its own
	 * rules (for the seeds' 95 %, a {@code failureRateThreshold} of 5).
	 */
	public static void watch(ReboundClient client, CircuitBreaker breaker) {
		List<CircuitBreaker> watched = WATCHED.computeIfAbsent(client,
				(c) -> new java.util.concurrent.CopyOnWriteArrayList<>());
		watched.add(breaker);
		client.on("circuit-break", (call) -> {
			long openForMs = Long.parseLong(String.valueOf(call.parameters().getOrDefault("open_for_ms", "30000")));
			watched.forEach((b) -> b.transitionToOpenStateFor(java.time.Duration.ofMillis(openForMs)));
			return ControlAnswer.accepted("opened " + watched.size() + " circuit breakers for " + openForMs + " ms");
		});
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
