package io.rebound;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Deployments with their revisions, as the Kubernetes API keeps them, for the tests of
 * the {@code kubernetes} executor: a Deployment at a revision, and the ReplicaSets it
 * owns, one per revision (as {@code kubectl rollout undo} reads them).
 */
public final class Workloads {

	private Workloads() {
	}

	/**
	 * Creates (or replaces) a Deployment of one container named {@code agent}.
	 * @param kubernetes the API
	 * @param namespace where
	 * @param name its name, and its pods' label {@code app}
	 * @param revision its annotation {@code deployment.kubernetes.io/revision}
	 * @param image its container's image
	 * @param resources its container's resources, or {@code null}
	 * @return what the API stored
	 */
	public static Deployment deployment(KubernetesClient kubernetes, String namespace, String name, String revision,
			String image, ResourceRequirements resources) {
		return kubernetes.apps()
			.deployments()
			.inNamespace(namespace)
			.resource(new DeploymentBuilder().withNewMetadata()
				.withName(name)
				.addToAnnotations("deployment.kubernetes.io/revision", revision)
				.endMetadata()
				.withNewSpec()
				.withReplicas(1)
				.withNewSelector()
				.addToMatchLabels("app", name)
				.endSelector()
				.withTemplate(template(name, image, resources))
				.endSpec()
				.build())
			.createOr((existing) -> existing.update());
	}

	/** Creates (or replaces) the ReplicaSet of this revision of the Deployment. */
	public static void revision(KubernetesClient kubernetes, Deployment owner, String revision, String image) {
		String name = owner.getMetadata().getName();
		kubernetes.apps()
			.replicaSets()
			.inNamespace(owner.getMetadata().getNamespace())
			.resource(new ReplicaSetBuilder().withNewMetadata()
				.withName(name + "-" + revision)
				.addToLabels("app", name)
				.addToAnnotations("deployment.kubernetes.io/revision", revision)
				.addNewOwnerReference()
				.withApiVersion("apps/v1")
				.withKind("Deployment")
				.withName(name)
				.withUid(owner.getMetadata().getUid())
				.withController(true)
				.endOwnerReference()
				.endMetadata()
				.withNewSpec()
				.withNewSelector()
				.addToMatchLabels("app", name)
				.endSelector()
				.withTemplate(template(name, image, null))
				.endSpec()
				.build())
			.createOr((existing) -> existing.update());
	}

	/** The image of the Deployment's first container now. */
	public static String image(KubernetesClient kubernetes, String namespace, String name) {
		return kubernetes.apps()
			.deployments()
			.inNamespace(namespace)
			.withName(name)
			.get()
			.getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0)
			.getImage();
	}

	private static PodTemplateSpec template(String app, String image, ResourceRequirements resources) {
		return new PodTemplateSpecBuilder().withNewMetadata()
			.addToLabels("app", app)
			.endMetadata()
			.withNewSpec()
			.addNewContainer()
			.withName("agent")
			.withImage(image)
			.withResources(resources)
			.endContainer()
			.endSpec()
			.build();
	}

}
