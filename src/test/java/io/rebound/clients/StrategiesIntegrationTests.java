package io.rebound.clients;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.rebound.Http;
import io.rebound.IntegrationTest;
import io.rebound.Workloads;
import io.rebound.client.ControlAnswer;
import io.rebound.client.ReboundClient;
import io.rebound.client.resilience4j.Resilience4jBridge;
import io.rebound.recovery.Runs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The strategies beyond retry, reload and restart, each through a real ladder run against
 * agents built on the Java client: a circuit break chosen by a high error rate, a
 * fallback mode chosen by high latency under a policy that maps latency to it, and a
 * failover to the backup the registry names.
 */
@IntegrationTest
class StrategiesIntegrationTests {

	@Value("${local.server.port}")
	int port;

	@org.springframework.beans.factory.annotation.Autowired
	io.fabric8.kubernetes.client.KubernetesClient kubernetes;

	Http operator() {
		return new Http(this.port);
	}

	ReboundClient.Builder client(String id) {
		return AgentKeys.issue(operator(), id).javaClient(this.port, id, Duration.ofMillis(200)).advertiseHealth(false);
	}

	@Test
	void aHighErrorRateIsMetWithACircuitBreakThatCountsOnlyOnceTheCanariesClosedTheBreaker() throws Exception {
		String id = "java-checkout";
		// the inventory service is overloaded: it fails while it is called, and recovers
		// once the agent's breaker has kept the load off it for half a second
		try (BreakerAgent agent = new BreakerAgent(client(id).kind("checkout"), "inventory", 5,
				(shedForMs) -> shedForMs > 500)) {
			awaitVerb(id, "circuit-break");
			agent.start();

			JsonNode run = await().atMost(Duration.ofSeconds(60))
				.until(() -> Runs.newest(operator(), id),
						(r) -> r != null && "succeeded".equals(r.get("run").get("status").asString()));

			assertThat(Runs.levels(run)).containsExactly("2:circuit-break:succeeded");
			assertThat(run.get("run").get("recommended_why").asString()).startsWith("symptom: error rate");
			JsonNode attempt = run.get("attempts").get(0);
			assertThat(attempt.get("choice").get("chosen_by_symptom").asString()).startsWith("circuit-break");
			assertThat(attempt.get("evidence").get("breakers").get("inventory").asString()).isEqualTo("closed");
			assertThat(agent.breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
			assertThat(agent.rebound.controlCalls()).singleElement()
				.satisfies((call) -> assertThat(call.verb()).isEqualTo("circuit-break"));
			assertThat(agent.shedSince.get()).as("the breaker was opened and shed the load").isPositive();
		}
	}

	@Test
	void aCircuitBreakWhoseCanariesKeepFailingIsNotTakenForARecovery() throws Exception {
		String id = "java-payments";
		// the bank is down for good: shedding load does not help, canaries fail
		try (BreakerAgent agent = new BreakerAgent(client(id).kind("payments"), "bank", 3, (shedForMs) -> false)) {
			awaitVerb(id, "circuit-break");
			agent.start();

			JsonNode attempt = await().atMost(Duration.ofSeconds(40)).until(() -> {
				JsonNode run = Runs.newest(operator(), id);
				JsonNode first = (run != null) ? run.get("attempts").path(0) : null;
				return (first != null && first.path("outcome").asString("").equals("failed")) ? first : null;
			}, (a) -> a != null);

			assertThat(attempt.get("strategy").asString()).isEqualTo("circuit-break");
			assertThat(attempt.get("evidence").get("breakers").get("bank").asString()).isNotEqualTo("closed");
			assertThat(attempt.get("evidence").has("closed_at")).isFalse();
		}
	}

	@Test
	void highLatencyUnderAPolicyThatMapsItToFallbackSwitchesTheAgentToItsReducedMode() throws Exception {
		String id = "java-search";
		AtomicBoolean reduced = new AtomicBoolean();
		try (ReboundClient rebound = client(id).kind("search")
			.policy("lean")
			.metrics(() -> Map.of("response_time_ms", reduced.get() ? 80 : 4500))
			.build()) {
			rebound.on("fallback", (call) -> {
				reduced.set(true);
				return ControlAnswer.done();
			});
			awaitVerb(id, "fallback");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> operator().get("/api/agents/" + id).json().path("agent").path("state").asString(""),
						"degraded"::equals);
			for (int i = 0; i < 3; i++) {
				rebound.report("search_slow", "ranking took 4.5 s", "critical", Map.of("query", i));
			}

			JsonNode run = await().atMost(Duration.ofSeconds(60))
				.until(() -> Runs.newest(operator(), id),
						(r) -> r != null && "succeeded".equals(r.get("run").get("status").asString()));

			assertThat(Runs.levels(run)).containsExactly("2:fallback:succeeded");
			assertThat(run.get("run").get("reason").asString()).contains("recovered");
			assertThat(run.get("run").get("recommended_why").asString()).startsWith("symptom: high latency");
			assertThat(reduced).isTrue();
		}
	}

	@Test
	void aPrimaryThatCannotBeCuredFailsOverToTheBackupTheRegistryNamesAndTheBackupIsJudged() throws Exception {
		String primaryId = "java-ledger";
		String backupId = "java-ledger-standby";
		AtomicBoolean tookOver = new AtomicBoolean();
		try (ReboundClient backup = client(backupId).kind("ledger").build();
				ReboundClient primary = client(primaryId).kind("ledger")
					.policy("standby")
					.labels(Map.of("backup", backupId))
					.build()) {
			backup.on("take-over", (call) -> {
				assertThat(call.parameters()).containsEntry("for", primaryId);
				tookOver.set(true);
				return ControlAnswer.done();
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				JsonNode agent = operator().get("/api/agents/" + backupId).json().path("agent");
				return agent.path("state").asString("").equals("healthy")
						&& agent.path("verbs").toString().contains("take-over");
			});
			// the primary's disk is gone: nothing it can do helps; its requests fail
			// until
			// they are routed to the backup
			for (int i = 0; i < 3; i++) {
				primary.report("disk_failure", "ledger volume read-only", "critical", Map.of("write", i));
			}

			JsonNode run = await().atMost(Duration.ofSeconds(60))
				.until(() -> Runs.newest(operator(), primaryId),
						(r) -> r != null && "succeeded".equals(r.get("run").get("status").asString()));

			assertThat(tookOver).isTrue();
			assertThat(Runs.levels(run)).containsExactly("4:failover:succeeded");
			assertThat(run.get("attempts").get(0).get("evidence").get("judged_on").asString()).isEqualTo(backupId);
			assertThat(primary.controlCalls()).as("nothing was asked of the primary").isEmpty();
		}
	}

	@Test
	void aFailureRightAfterARolloutIsRolledBackToTheDeploymentsPreviousRevision() throws Exception {
		String id = "java-api";
		io.fabric8.kubernetes.api.model.apps.Deployment deployment = deployment(id, "api:1.1", null);
		Workloads.revision(this.kubernetes, deployment, "1", "api:1.0");
		Workloads.revision(this.kubernetes, deployment, "2", "api:1.1");
		try (ReboundClient before = client(id).kind("api").policy("k8s").version("1.0").build()) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> operator().get("/api/agents/" + id).json().path("agent").path("version").asString(""),
						"1.0"::equals);
		}
		// the rollout: its pods come back as 1.1, and fail
		try (ReboundClient rebound = client(id).kind("api").policy("k8s").version("1.1").build()) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> operator().get("/api/agents/" + id).json().path("agent").path("state").asString(""),
						"healthy"::equals);
			for (int i = 0; i < 3; i++) {
				rebound.report("schema_mismatch", "column orders.total does not exist", "critical", Map.of("n", i));
			}

			JsonNode run = await().atMost(Duration.ofSeconds(60))
				.until(() -> Runs.newest(operator(), id),
						(r) -> r != null && "succeeded".equals(r.get("run").get("status").asString()));

			assertThat(Runs.levels(run)).containsExactly("3:rollback:succeeded");
			assertThat(run.get("run").get("recommended_why").asString()).startsWith("symptom: a rollout");
			assertThat(Workloads.image(this.kubernetes, "it", id)).isEqualTo("api:1.0");
			JsonNode agent = operator().get("/api/agents/" + id).json().get("agent");
			assertThat(agent.get("previous_version").asString()).isEqualTo("1.0");
			assertThat(rebound.controlCalls()).as("the Deployment was rolled back, not the process asked").isEmpty();
		}
	}

	@Test
	void resourceExhaustionRestartsTheWorkloadWithMoreResources() throws Exception {
		String id = "java-indexer";
		deployment(id, "indexer:3",
				new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
					.addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("512Mi"))
					.addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
					.build());
		java.util.function.BooleanSupplier grown = () -> memoryLimit(id)
			.compareTo(java.math.BigDecimal.valueOf(1L << 30)) > 0;
		try (ReboundClient rebound = client(id).kind("indexer")
			.policy("k8s")
			.metrics(() -> Map.of("memory", grown.getAsBoolean() ? 0.55 : 0.97))
			.build()) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> operator().get("/api/agents/" + id).json().path("agent").path("state").asString(""),
						"degraded"::equals);
			for (int i = 0; i < 3; i++) {
				rebound.report("heap_exhausted", "GC overhead limit exceeded", "critical", Map.of("n", i));
			}

			JsonNode run = await().atMost(Duration.ofSeconds(60))
				.until(() -> Runs.newest(operator(), id),
						(r) -> r != null && "succeeded".equals(r.get("run").get("status").asString()));

			assertThat(Runs.levels(run)).containsExactly("3:restart-more-resources:succeeded");
			assertThat(run.get("run").get("recommended_why").asString())
				.startsWith("symptom: resource exhaustion: memory 0.97");
			assertThat(run.get("attempts").get(0).get("evidence").get("calls").get(0).asString())
				.contains("resources x1.5");
			assertThat(memoryLimit(id)).isEqualByComparingTo(java.math.BigDecimal.valueOf(1610612736L));
		}
	}

	private io.fabric8.kubernetes.api.model.apps.Deployment deployment(String name, String image,
			io.fabric8.kubernetes.api.model.ResourceRequirements resources) {
		return Workloads.deployment(this.kubernetes, "it", name, "2", image, resources);
	}

	private io.fabric8.kubernetes.api.model.Container container(String name) {
		return this.kubernetes.apps()
			.deployments()
			.inNamespace("it")
			.withName(name)
			.get()
			.getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0);
	}

	private java.math.BigDecimal memoryLimit(String name) {
		return container(name).getResources().getLimits().get("memory").getNumericalAmount();
	}

	/**
	 * Rebound plans the strategies that need a verb only for an agent that declared it.
	 */
	private void awaitVerb(String id, String verb) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> operator().get("/api/agents/" + id).json().path("agent").path("verbs").toString(),
					(verbs) -> verbs.contains(verb));
	}

	/**
	 * An agent that calls a dependency every 20 ms through a Resilience4j breaker watched
	 * by the bridge, and reports its error rate in heartbeats. The breaker never opens on
	 * its own (its window is too large to fill); the dependency fails until
	 * {@code recovered} says so, given how long the breaker has kept the load off it (-1
	 * before it ever did).
	 */
	static final class BreakerAgent implements AutoCloseable {

		final ReboundClient rebound;

		final CircuitBreaker breaker;

		final AtomicLong shedSince = new AtomicLong();

		private final AtomicInteger calls = new AtomicInteger();

		private final AtomicInteger failures = new AtomicInteger();

		private final java.util.function.LongPredicate recovered;

		private final ScheduledExecutorService work = Executors.newSingleThreadScheduledExecutor();

		BreakerAgent(ReboundClient.Builder client, String dependency, int canaries,
				java.util.function.LongPredicate recovered) {
			this.recovered = recovered;
			this.breaker = CircuitBreaker.of(dependency,
					CircuitBreakerConfig.custom()
						.failureRateThreshold(5)
						.slidingWindowSize(1000)
						.minimumNumberOfCalls(1000)
						.permittedNumberOfCallsInHalfOpenState(canaries)
						.build());
			this.rebound = client.metrics(() -> {
				int made = this.calls.getAndSet(0);
				int failed = this.failures.getAndSet(0);
				return Map.of("error_rate", (made == 0) ? 0.0 : (double) failed / made);
			}).build();
			Resilience4jBridge.watch(this.rebound, this.breaker);
		}

		void start() {
			String dependency = this.breaker.getName();
			this.work.scheduleWithFixedDelay(() -> {
				try {
					this.breaker.executeRunnable(() -> {
						this.calls.incrementAndGet();
						long shed = this.shedSince.get();
						if (!this.recovered.test((shed > 0) ? System.currentTimeMillis() - shed : -1)) {
							this.failures.incrementAndGet();
							throw new IllegalStateException(dependency + " timed out");
						}
					});
				}
				catch (CallNotPermittedException open) {
					this.shedSince.compareAndSet(0, System.currentTimeMillis());
				}
				catch (IllegalStateException failed) {
					if (this.calls.get() % 5 == 1) {
						this.rebound.report(dependency + "_unavailable", failed.getMessage(), "high", Map.of());
					}
				}
			}, 0, 20, TimeUnit.MILLISECONDS);
		}

		@Override
		public void close() {
			this.work.shutdownNow();
			this.rebound.close();
		}

	}

}
