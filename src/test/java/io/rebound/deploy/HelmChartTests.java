package io.rebound.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart, linted strictly and rendered by the Helm library (helm-java embeds it),
 * with the rendered objects checked the way Kubernetes would use them.
 */
class HelmChartTests {

	private static final Path CHART = Path.of("helm/rebound");

	private static final YAMLMapper YAML = YAMLMapper.builder().build();

	@Test
	void lintsCleanInStrictMode() {
		LintResult lint = new Helm(CHART).lint().strict().call();

		assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
	}

	@Test
	void rendersADeploymentWhoseSelectorsProbesAndSecurityHold() throws Exception {
		List<JsonNode> objects = render(Map.of());
		JsonNode deployment = only(objects, "Deployment");
		JsonNode pod = deployment.at("/spec/template");
		JsonNode container = pod.at("/spec/containers/0");

		assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
		assertThat(deployment.at("/spec/selector/matchLabels").properties())
			.allSatisfy((label) -> assertThat(pod.at("/metadata/labels").get(label.getKey()).asString())
				.isEqualTo(label.getValue().asString()));
		assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
		assertThat(container.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/readiness");
		assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
		assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
		assertThat(container.at("/resources/limits/memory").asString()).isNotBlank();
		assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).isPositive();

		JsonNode service = only(objects, "Service");
		assertThat(service.at("/spec/selector").properties())
			.allSatisfy((label) -> assertThat(pod.at("/metadata/labels").get(label.getKey()).asString())
				.isEqualTo(label.getValue().asString()));
		assertThat(only(objects, "PodDisruptionBudget").at("/spec/selector/matchLabels"))
			.isEqualTo(deployment.at("/spec/selector/matchLabels"));
		String secret = only(objects, "Secret").at("/metadata/name").asString();
		assertThat(container.get("env").toString()).contains(secret);
		assertThat(only(objects, "ConfigMap").at("/data/application.yaml").asString())
			.contains("replication-factor: 3");
		assertThat(kinds(objects)).doesNotContain("HorizontalPodAutoscaler", "ServiceMonitor", "PrometheusRule");
	}

	@Test
	void rendersTheMonitoringObjectsWithTheOperatorsLabelsWhenAsked() throws Exception {
		List<JsonNode> objects = render(Map.of("serviceMonitor.enabled", true, "serviceMonitor.labels.release",
				"kube-prometheus", "prometheusRule.enabled", true, "prometheusRule.labels.release", "kube-prometheus",
				"grafanaDashboards.enabled", true, "autoscaling.enabled", true));

		JsonNode monitor = only(objects, "ServiceMonitor");
		assertThat(monitor.at("/metadata/labels/release").asString()).isEqualTo("kube-prometheus");
		assertThat(monitor.at("/spec/endpoints/0/path").asString()).isEqualTo("/actuator/prometheus");
		JsonNode rule = only(objects, "PrometheusRule");
		assertThat(rule.at("/metadata/labels/release").asString()).isEqualTo("kube-prometheus");
		assertThat(rule.at("/spec/groups")).hasSize(3);
		List<JsonNode> dashboards = objects.stream()
			.filter((o) -> o.at("/metadata/labels/grafana_dashboard").asString("").equals("1"))
			.toList();
		assertThat(dashboards).hasSize(4);
		assertThat(only(objects, "HorizontalPodAutoscaler").at("/spec/maxReplicas").asInt()).isEqualTo(6);
		assertThat(only(objects, "Deployment").at("/spec/replicas").isMissingNode()).isTrue();
	}

	@Test
	void passesTheBootstrapKeyAsASecretAndNeverSwitchesAuthenticationOff() throws Exception {
		String key = "rbk_helmtest_0123456789abcdefghijklmnopqrstuvwxyz";
		List<JsonNode> objects = render(Map.of("security.bootstrapKey", key));

		JsonNode secret = objects.stream()
			.filter((o) -> o.get("kind").asString().equals("Secret")
					&& o.at("/metadata/name").asString().endsWith("-security"))
			.findFirst()
			.orElseThrow();
		assertThat(new String(java.util.Base64.getDecoder().decode(secret.at("/data/bootstrap-key").asString())))
			.isEqualTo(key);
		String env = only(objects, "Deployment").at("/spec/template/spec/containers/0/env").toString();
		assertThat(env).contains("REBOUND_SECURITY_BOOTSTRAP_KEY", secret.at("/metadata/name").asString())
			.doesNotContain(key)
			.doesNotContain("REBOUND_SECURITY_ENABLED");
		assertThatThrownBy(() -> render(Map.of("security.bootstrapKey", "hunter2")))
			.hasMessageContaining("bootstrapKey");
	}

	@Test
	void grantsTheKubernetesExecutorRestartAndScaleOnlyWhereAsked() throws Exception {
		List<JsonNode> plain = render(Map.of());
		assertThat(kinds(plain)).contains("ServiceAccount").doesNotContain("Role", "RoleBinding");
		String account = only(plain, "ServiceAccount").at("/metadata/name").asString();
		assertThat(only(plain, "Deployment").at("/spec/template/spec/serviceAccountName").asString())
			.isEqualTo(account);

		List<JsonNode> objects = render(
				Map.of("rbac.create", true, "rbac.namespaces[0]", "shop", "rbac.namespaces[1]", "data"));

		List<JsonNode> roles = objects.stream().filter((o) -> o.get("kind").asString().equals("Role")).toList();
		assertThat(roles).extracting((r) -> r.at("/metadata/namespace").asString()).containsExactly("shop", "data");
		assertThat(roles.get(0).at("/rules").toString()).contains("deployments/scale", "statefulsets")
			.doesNotContain("delete", "create", "\"*\"");
		List<JsonNode> bindings = objects.stream()
			.filter((o) -> o.get("kind").asString().equals("RoleBinding"))
			.toList();
		assertThat(bindings).hasSize(2);
		assertThat(bindings.get(0).at("/subjects/0/name").asString()).isEqualTo(account);
		assertThatThrownBy(() -> render(Map.of("rbac.namespaces[0]", "Not_A_Namespace"))).hasMessageContaining("rbac");
	}

	@Test
	void refusesValuesTheSchemaForbids() {
		assertThatThrownBy(() -> render(Map.of("replicaCount", "two"))).hasMessageContaining("replicaCount");
		assertThatThrownBy(() -> render(Map.of("database.url", "mysql://db"))).hasMessageContaining("database");
	}

	@Test
	void theChartCarriesTheSameDashboardsAndRulesAsGrafana() throws Exception {
		for (Path dashboard : Files.list(Path.of("grafana/dashboards")).toList()) {
			assertThat(CHART.resolve("files/dashboards").resolve(dashboard.getFileName()))
				.hasSameBinaryContentAs(dashboard);
		}
		assertThat(CHART.resolve("files/rebound.rules.yml"))
			.hasSameBinaryContentAs(Path.of("grafana/alerts/rebound.rules.yml"));
	}

	private static List<JsonNode> render(Map<String, Object> values) throws Exception {
		var template = new Helm(CHART).template().withName("rebound");
		values.forEach(template::set);
		List<JsonNode> objects = new ArrayList<>();
		for (String document : template.call().split("(?m)^---\\s*$")) {
			JsonNode object = YAML.readTree(document);
			if (object != null && !object.isMissingNode() && !object.isNull() && object.has("kind")) {
				objects.add(object);
			}
		}
		return objects;
	}

	private static JsonNode only(List<JsonNode> objects, String kind) {
		List<JsonNode> matching = objects.stream().filter((o) -> o.get("kind").asString().equals(kind)).toList();
		assertThat(matching).as(kind).hasSize(1);
		return matching.get(0);
	}

	private static List<String> kinds(List<JsonNode> objects) {
		return objects.stream().map((o) -> o.get("kind").asString()).toList();
	}

}
