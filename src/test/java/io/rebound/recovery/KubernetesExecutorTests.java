package io.rebound.recovery;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.rebound.Workloads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code kubernetes} executor against fabric8's mock API server (CRUD mode: it keeps
 * the objects it is sent): rollout restarts of a Deployment and a StatefulSet, scaling
 * up, and a workload that is not there.
 */
@EnableKubernetesMockClient(crud = true)
@Execution(ExecutionMode.CONCURRENT)
class KubernetesExecutorTests {

	static KubernetesClient client;

	KubernetesExecutor executor;

	Executor.Context context = new Executor.Context(UUID.randomUUID(), 3, "restart");

	@BeforeEach
	void setUp() {
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("kubernetes", client));
		this.executor = new KubernetesExecutor(beans.getBeanProvider(KubernetesClient.class));
		client.apps()
			.deployments()
			.inNamespace("shop")
			.resource(new DeploymentBuilder().withNewMetadata()
				.withName("payments")
				.endMetadata()
				.withNewSpec()
				.withReplicas(2)
				.withNewSelector()
				.addToMatchLabels("app", "payments")
				.endSelector()
				.withNewTemplate()
				.withNewMetadata()
				.addToLabels("app", "payments")
				.endMetadata()
				.withNewSpec()
				.addNewContainer()
				.withName("app")
				.withImage("payments:1")
				.endContainer()
				.endSpec()
				.endTemplate()
				.endSpec()
				.build())
			.createOr((existing) -> existing.update());
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void restartIsARolloutRestartOfTheDeployment() {
		Executor.Outcome outcome = this.executor.execute(action("restart", "shop/Deployment/payments", Map.of()),
				this.context, Duration.ofSeconds(5));

		assertThat(outcome.accepted()).as(outcome.detail()).isTrue();
		Deployment deployment = client.apps().deployments().inNamespace("shop").withName("payments").get();
		assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
			.containsKey("kubectl.kubernetes.io/restartedAt");
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void scaleAddsTheBackupInstances() {
		Executor.Outcome outcome = this.executor.execute(
				action("scale", "shop/Deployment/payments", Map.of("replicas_delta", "2")), this.context,
				Duration.ofSeconds(5));

		assertThat(outcome.accepted()).as(outcome.detail()).isTrue();
		assertThat(outcome.detail()).contains("2 -> 4 replicas");
		assertThat(client.apps().deployments().inNamespace("shop").withName("payments").get().getSpec().getReplicas())
			.isEqualTo(4);
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void aStatefulSetIsRestartedToo() {
		client.apps()
			.statefulSets()
			.inNamespace("data")
			.resource(new StatefulSetBuilder().withNewMetadata()
				.withName("ledger")
				.endMetadata()
				.withNewSpec()
				.withReplicas(1)
				.withNewTemplate()
				.withNewMetadata()
				.addToLabels("app", "ledger")
				.endMetadata()
				.endTemplate()
				.endSpec()
				.build())
			.create();

		Executor.Outcome outcome = this.executor.execute(action("restart", "data/StatefulSet/ledger", Map.of()),
				this.context, Duration.ofSeconds(5));

		assertThat(outcome.accepted()).as(outcome.detail()).isTrue();
		assertThat(client.apps()
			.statefulSets()
			.inNamespace("data")
			.withName("ledger")
			.get()
			.getSpec()
			.getTemplate()
			.getMetadata()
			.getAnnotations()).containsKey("kubectl.kubernetes.io/restartedAt");
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void aWorkloadThatIsNotThereIsAFailedAction() {
		Executor.Outcome restart = this.executor.execute(action("restart", "shop/Deployment/nowhere", Map.of()),
				this.context, Duration.ofSeconds(5));
		Executor.Outcome scale = this.executor.execute(action("scale", "shop/Deployment/nowhere", Map.of()),
				this.context, Duration.ofSeconds(5));

		assertThat(restart.accepted()).isFalse();
		assertThat(restart.detail()).contains("restart Deployment shop/nowhere failed");
		assertThat(scale.accepted()).isFalse();
		assertThat(scale.detail()).contains("not found");
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void otherVerbsAreNotForKubernetes() {
		Executor.Outcome outcome = this.executor.execute(action("reload", "shop/Deployment/payments", Map.of()),
				this.context, Duration.ofSeconds(5));

		assertThat(outcome.accepted()).isFalse();
		assertThat(outcome.detail()).contains("only restarts, scales and rolls back");
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void rollbackReturnsTheDeploymentToItsPreviousRevision() {
		Deployment deployment = client.apps().deployments().inNamespace("shop").withName("payments").get();
		Workloads.revision(client, deployment, "1", "payments:1");
		Workloads.revision(client, deployment, "2", "payments:2");
		client.apps()
			.deployments()
			.inNamespace("shop")
			.withName("payments")
			.edit((d) -> new DeploymentBuilder(d).editMetadata()
				.addToAnnotations("deployment.kubernetes.io/revision", "2")
				.endMetadata()
				.editSpec()
				.editTemplate()
				.editSpec()
				.editFirstContainer()
				.withImage("payments:2")
				.endContainer()
				.endSpec()
				.endTemplate()
				.endSpec()
				.build());

		Executor.Outcome outcome = this.executor.execute(action("rollback", "shop/Deployment/payments", Map.of()),
				this.context, Duration.ofSeconds(5));

		assertThat(outcome.accepted()).as(outcome.detail()).isTrue();
		assertThat(Workloads.image(client, "shop", "payments")).isEqualTo("payments:1");
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void aRestartWithMoreResourcesGrowsEveryContainersRequestsAndLimits() {
		client.apps()
			.deployments()
			.inNamespace("shop")
			.withName("payments")
			.edit((d) -> new DeploymentBuilder(d).editSpec()
				.editTemplate()
				.editSpec()
				.editFirstContainer()
				.withNewResources()
				.addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("512Mi"))
				.addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m"))
				.addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
				.endResources()
				.endContainer()
				.endSpec()
				.endTemplate()
				.endSpec()
				.build());

		Executor.Outcome outcome = this.executor.execute(
				action("restart", "shop/Deployment/payments", Map.of("resources_factor", "1.5")), this.context,
				Duration.ofSeconds(5));

		assertThat(outcome.accepted()).as(outcome.detail()).isTrue();
		io.fabric8.kubernetes.api.model.ResourceRequirements resources = client.apps()
			.deployments()
			.inNamespace("shop")
			.withName("payments")
			.get()
			.getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0)
			.getResources();
		assertThat(resources.getRequests().get("memory").getNumericalAmount())
			.isEqualByComparingTo(java.math.BigDecimal.valueOf(805306368L));
		assertThat(resources.getRequests().get("cpu").toString()).isEqualTo("750m");
		assertThat(resources.getLimits().get("memory").getNumericalAmount())
			.isEqualByComparingTo(java.math.BigDecimal.valueOf(1610612736L));
		assertThat(outcome.detail()).contains("app requests.memory 512Mi -> 805306368");
	}

	@Test
	@Execution(ExecutionMode.SAME_THREAD) // beside other classes, not beside its own
											// tests
	void aStatefulSetIsNotRolledBack() {
		Executor.Outcome outcome = this.executor.execute(action("rollback", "data/StatefulSet/ledger", Map.of()),
				this.context, Duration.ofSeconds(5));

		assertThat(outcome.accepted()).isFalse();
		assertThat(outcome.detail()).contains("only a Deployment is rolled back");
	}

	private static Strategy.Action action(String verb, String address, Map<String, String> params) {
		return new Strategy.Action("kubernetes", "payments-1", verb, address, params);
	}

}
