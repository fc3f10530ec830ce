package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Restarts and scales the Deployment or StatefulSet a policy places an agent in, through
 * fabric8's client: {@code restart} is a rollout restart (as {@code kubectl rollout
 * restart}; with {@code resources_factor}, the containers' CPU and memory requests and
 * limits are multiplied by it first, which rolls the workload too), {@code scale} adds
 * {@code replicas_delta} replicas, {@code rollback} returns a Deployment to its previous
 * revision (as {@code kubectl rollout undo}). The client is configured the usual way
 * (in-cluster service account, {@code KUBECONFIG}, {@code ~/.kube/config}) and made only
 * when first needed; a {@link KubernetesClient} bean, when there is one, is used instead.
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
			if (action.verb().equals("restart") && action.params().containsKey("resources_factor")) {
				double factor = Double.parseDouble(action.params().get("resources_factor"));
				List<String> changed = new java.util.ArrayList<>();
				if (where[1].equals("StatefulSet")) {
					client().apps().statefulSets().inNamespace(where[0]).withName(where[2]).edit((current) -> {
						podSpec(current).getContainers()
							.forEach((container) -> changed.addAll(grow(container, factor)));
						return current;
					});
				}
				else {
					client().apps().deployments().inNamespace(where[0]).withName(where[2]).edit((current) -> {
						podSpec(current).getContainers()
							.forEach((container) -> changed.addAll(grow(container, factor)));
						return current;
					});
				}
				return new Outcome(true,
						shown + ": resources x" + factor + " (" + String.join(", ", changed) + "), rolling out");
			}
			if (action.verb().equals("restart")) {
				workload.rolling().restart();
				return new Outcome(true, shown + ": rollout restarted");
			}
			if (action.verb().equals("rollback")) {
				if (where[1].equals("StatefulSet")) {
					return new Outcome(false, shown + ": only a Deployment is rolled back");
				}
				Object before = workload.get();
				if (before == null) {
					return new Outcome(false, shown + ": not found");
				}
				workload.rolling().undo();
				return new Outcome(true, shown + ": rolled back to its previous revision");
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
			return new Outcome(false, shown + ": the kubernetes executor only restarts, scales and rolls back");
		}
		catch (KubernetesClientException ex) {
			return new Outcome(false, shown + " failed: " + ((ex.getCode() != 0) ? ex.getCode() + " " : "")
					+ ex.getMessage().lines().findFirst().orElse(""));
		}
		catch (RuntimeException ex) {
			return new Outcome(false, shown + " failed: " + ex);
		}
	}

	private static io.fabric8.kubernetes.api.model.PodSpec podSpec(Object workload) {
		return (workload instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet set)
				? set.getSpec().getTemplate().getSpec()
				: ((io.fabric8.kubernetes.api.model.apps.Deployment) workload).getSpec().getTemplate().getSpec();
	}

	/** Multiplies a container's CPU and memory requests and limits; what it changed. */
	private static List<String> grow(io.fabric8.kubernetes.api.model.Container container, double factor) {
		List<String> changed = new java.util.ArrayList<>();
		io.fabric8.kubernetes.api.model.ResourceRequirements resources = container.getResources();
		if (resources == null) {
			return changed;
		}
		for (Map.Entry<String, Map<String, io.fabric8.kubernetes.api.model.Quantity>> part : Map
			.of("requests", nullSafe(resources.getRequests()), "limits", nullSafe(resources.getLimits()))
			.entrySet()) {
			for (String resource : List.of("cpu", "memory")) {
				io.fabric8.kubernetes.api.model.Quantity quantity = part.getValue().get(resource);
				if (quantity != null) {
					java.math.BigDecimal grown = quantity.getNumericalAmount()
						.multiply(java.math.BigDecimal.valueOf(factor));
					io.fabric8.kubernetes.api.model.Quantity next = resource.equals("memory")
							? new io.fabric8.kubernetes.api.model.Quantity(
									grown.setScale(0, java.math.RoundingMode.CEILING).toPlainString())
							: new io.fabric8.kubernetes.api.model.Quantity(
									grown.multiply(java.math.BigDecimal.valueOf(1000))
										.setScale(0, java.math.RoundingMode.CEILING)
										.toPlainString() + "m");
					part.getValue().put(resource, next);
					changed.add(container.getName() + " " + part.getKey() + "." + resource + " " + quantity + " -> "
							+ next);
				}
			}
		}
		return changed;
	}

	private static Map<String, io.fabric8.kubernetes.api.model.Quantity> nullSafe(
			Map<String, io.fabric8.kubernetes.api.model.Quantity> quantities) {
		return (quantities != null) ? quantities : new java.util.HashMap<>();
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
