package io.rebound.monitoring;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus (Debian's package; {@code .ci/run} installs it) scrapes this Rebound
 * under load and evaluates every expression of every dashboard panel and alert rule: each
 * must evaluate without error, and every metric it names must be one Rebound exposes.
 */
@IntegrationTest
class MonitoringIntegrationTests {

	private static final Path PROMETHEUS = Path.of(System.getenv().getOrDefault("PROMETHEUS", "/usr/bin/prometheus"));

	private static final Pattern METRIC = Pattern
		.compile("\\b((?:rebound|kafka|jvm|process|hikaricp|http_server|spring|executor)_[a-zA-Z0-9_]+)\\b");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@TempDir
	Path work;

	Process prometheus;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.prometheus != null) {
			this.prometheus.destroy();
			this.prometheus.waitFor();
		}
	}

	@Test
	void everyDashboardPanelAndAlertRuleEvaluatesAgainstRealMetrics() throws Exception {
		assumeThat(Files.isExecutable(PROMETHEUS)).as("Prometheus at " + PROMETHEUS + " (.ci/run installs it)")
			.isTrue();
		load();
		int prometheusPort = freePort();
		startPrometheus(prometheusPort);
		HttpClient client = HttpClient.newHttpClient();
		String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/";
		// until Prometheus listens and has scraped Rebound once
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(
					get(client, api + "query?query=" + encode("count(rebound_ingest_events_total)")).get("data")
						.get("result"))
				.isNotEmpty());
		load();
		Thread.sleep(3000);

		List<String> expressions = expressions();
		assertThat(expressions).hasSizeGreaterThan(10);
		List<String> problems = new ArrayList<>();
		for (String expression : expressions) {
			JsonNode answer = get(client, api + "query?query=" + encode(expression));
			if (!"success".equals(answer.get("status").asString())) {
				problems.add(expression + " -> " + answer.get("error"));
			}
			Matcher names = METRIC.matcher(expression);
			while (names.find()) {
				String name = names.group(1);
				JsonNode series = get(client, api + "series?match[]=" + encode(name));
				if (series.get("data").isEmpty()) {
					problems.add(expression + " -> Rebound exposes no metric " + name);
				}
			}
		}
		assertThat(problems).isEmpty();
	}

	/** Events, a dead letter and heartbeats, so the counters and histograms have data. */
	private void load() {
		Http http = new Http(this.port);
		String agent = "monitored-" + UUID.randomUUID().toString().substring(0, 8);
		for (int i = 0; i < 5; i++) {
			http.post("/api/errors",
					"{\"source\":\"" + agent + "\",\"type\":\"t\",\"severity\":\"high\",\"message\":\"m " + i + "\"}");
			http.post("/api/agents/" + agent + "/heartbeat", "{\"status\":\"ok\"}");
		}
	}

	private List<String> expressions() throws Exception {
		Set<String> expressions = new LinkedHashSet<>();
		File[] dashboards = new File("grafana/dashboards").listFiles((dir, name) -> name.endsWith(".json"));
		assertThat(dashboards).isNotEmpty();
		for (File dashboard : dashboards) {
			for (JsonNode panel : JSON.readTree(dashboard).get("panels")) {
				for (JsonNode target : panel.get("targets")) {
					expressions.add(target.get("expr")
						.asString()
						.replace("$__rate_interval", "1m")
						.replace("$__interval", "1m")
						.replace("$__range", "5m"));
				}
			}
		}
		JsonNode rules = YAMLMapper.builder().build().readTree(new File("grafana/alerts/rebound.rules.yml"));
		for (JsonNode group : rules.get("groups")) {
			for (JsonNode rule : group.get("rules")) {
				expressions.add(rule.get("expr").asString());
			}
		}
		return new ArrayList<>(expressions);
	}

	private void startPrometheus(int prometheusPort) throws Exception {
		Path config = this.work.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				rule_files:
				  - %s
				scrape_configs:
				  - job_name: rebound
				    metrics_path: /actuator/prometheus
				    authorization:
				      credentials: %s
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(new File("grafana/alerts/rebound.rules.yml").getAbsolutePath(), Http.OPERATOR_KEY,
				this.port));
		this.prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + this.work.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort,
				"--log.level=warn")
			.redirectErrorStream(true)
			.redirectOutput(this.work.resolve("prometheus.log").toFile())
			.start();
	}

	private static JsonNode get(HttpClient client, String url) throws Exception {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
				HttpResponse.BodyHandlers.ofString());
		return JSON.readTree(response.body());
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
