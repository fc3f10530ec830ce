package io.rebound.recovery;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Restarts and scales the Deployment or StatefulSet a policy places an agent in, through
 * fabric8's client: {@code restart} is a rollout restart (as {@code kubectl rollout
 * restart}), {@code scale} adds {@code replicas_delta} replicas. The client is configured
 * the usual way (in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config})
 * and made only when first needed; a {@link KubernetesClient} bean, when there is one, is
 * used instead.
 */
@Component
class KubernetesExecutor implements Executor {

	private final ObjectProvider<KubernetesClient> provided;

	private volatile KubernetesClient client;

	KubernetesExecutor(ObjectProvider<KubernetesClient> provided) {
		this.provided = provided;
	}

	@Override
	public String kind() {
		return "kubernetes";
	}

	@Override
	public Outcome execute(Strategy.Action action, Context context, Duration timeout) {
		String[] where = action.address().split("/", 3);
		if (where.length != 3) {
			return new Outcome(false, "not a workload (namespace/Kind/name): " + action.address());
		}
		String shown = action.verb() + " " + where[1] + " " + where[0] + "/" + where[2];
		try {
			RollableScalableResource<?> workload = where[1].equals("StatefulSet")
					? client().apps().statefulSets().inNamespace(where[0]).withName(where[2])
					: client().apps().deployments().inNamespace(where[0]).withName(where[2]);
			if (action.verb().equals("restart")) {
				workload.rolling().restart();
				return new Outcome(true, shown + ": rollout restarted");
			}
			if (action.verb().equals("scale")) {
				int delta = Integer.parseInt(action.params().getOrDefault("replicas_delta", "1"));
				Object current = workload.get();
				if (current == null) {
					return new Outcome(false, shown + ": not found");
				}
				int replicas = replicas(current);
				workload.scale(replicas + delta);
				return new Outcome(true, shown + ": " + replicas + " -> " + (replicas + delta) + " replicas");
			}
			return new Outcome(false, shown + ": the kubernetes executor only restarts and scales");
		}
		catch (KubernetesClientException ex) {
			return new Outcome(false, shown + " failed: " + ((ex.getCode() != 0) ? ex.getCode() + " " : "")
					+ ex.getMessage().lines().findFirst().orElse(""));
		}
		catch (RuntimeException ex) {
			return new Outcome(false, shown + " failed: " + ex);
		}
	}

	private static int replicas(Object workload) {
		Integer replicas = (workload instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet set)
				? set.getSpec().getReplicas()
				: ((io.fabric8.kubernetes.api.model.apps.Deployment) workload).getSpec().getReplicas();
		return (replicas != null) ? replicas : 1;
	}

	@jakarta.annotation.PreDestroy
	void close() {
		KubernetesClient current = this.client;
		if (current != null && this.provided.getIfAvailable() == null) {
			current.close();
		}
	}

	private KubernetesClient client() {
		KubernetesClient current = this.client;
		if (current == null) {
			synchronized (this) {
				current = this.client;
				if (current == null) {
					current = this.provided.getIfAvailable(() -> new KubernetesClientBuilder().build());
					this.client = current;
				}
			}
		}
		return current;
	}

}
