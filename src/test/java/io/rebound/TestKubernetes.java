package io.rebound;

import java.util.HashMap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A Kubernetes API for the integration tests: fabric8's mock API server in CRUD mode (it
 * keeps what it is sent), and a client for it that Rebound's {@code kubernetes} executor
 * uses instead of looking for a cluster.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestKubernetes {

	@Bean(destroyMethod = "destroy")
	KubernetesMockServer kubernetesMockServer() {
		KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new KubernetesCrudDispatcher(), false);
		server.init();
		return server;
	}

	@Bean(destroyMethod = "close")
	KubernetesClient kubernetesClient(KubernetesMockServer server) {
		return server.createClient();
	}

}
