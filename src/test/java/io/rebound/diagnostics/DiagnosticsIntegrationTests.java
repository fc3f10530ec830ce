package io.rebound.diagnostics;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class DiagnosticsIntegrationTests {

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
	}

	@Test
	void reportsTheBusPostgresAgentsAndErrors() {
		JsonNode report = this.http.get("/api/diagnostics").json();

		assertThat(report.get("postgres").get("reachable").asBoolean()).isTrue();
		assertThat(report.get("postgres").get("migrations").get("pending").asInt()).isZero();
		JsonNode migrations = report.get("postgres").get("migrations");
		assertThat(migrations.get("current").asString()).isEqualTo(Integer.toString(migrations.get("applied").asInt()));
		assertThat(report.get("postgres").get("pool").get("max").asInt()).isPositive();
		JsonNode tables = report.get("postgres").get("tables");
		List<String> tableNames = new ArrayList<>();
		tables.forEach((t) -> tableNames.add(t.get("table").asString()));
		assertThat(tableNames).contains("errors", "error_events", "agents", "recovery_runs", "event_publication");
		assertThat(tables).allSatisfy((t) -> assertThat(t.get("bytes").asLong()).isPositive());
		assertThat(tables.get(0).get("bytes").asLong()).as("the largest first")
			.isGreaterThanOrEqualTo(tables.get(tables.size() - 1).get("bytes").asLong());
		assertThat(report.get("postgres").get("database_bytes").asLong())
			.isGreaterThanOrEqualTo(tables.get(0).get("bytes").asLong());
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.http.get("/actuator/prometheus").body())
				.containsPattern("rebound_db_table_size_bytes\\{[^}]*table=\"error_events\"[^}]*\\} [0-9]"));
		assertThat(report.get("bus").get("error").isNull()).isTrue();
		List<String> topics = new ArrayList<>();
		report.get("bus").get("dead_letters").forEach((d) -> topics.add(d.get("topic").asString()));
		assertThat(topics).contains("rebound.errors.critical-dlt", "rebound.heartbeats-dlt");
		List<String> groups = new ArrayList<>();
		report.get("bus").get("consumer_lag").forEach((p) -> groups.add(p.get("group").asString()));
		assertThat(groups).contains("rebound-ingest");
		assertThat(report.get("bus").get("consumers")).anySatisfy((member) -> {
			assertThat(member.get("group").asString()).isEqualTo("rebound-ingest");
			assertThat(member.get("partitions").asInt()).isPositive();
		});
		assertThat(report.get("agents").get("by_state").isObject()).isTrue();
		assertThat(report.get("errors").get("open_by_severity").isObject()).isTrue();
		assertThat(report.get("instance").get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
		// the only instance leads recovery, and the report names it with its fencing
		// token
		assertThat(report.get("instance").get("recovery_leader").asString())
			.contains("/" + ProcessHandle.current().pid() + "/")
			.contains("token");
		assertThat(report.get("log_scanner").isArray()).isTrue();
	}

	@Test
	void runningTheChecksProbesAgentsAndTimesEachCheck() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		String agent = "diag-" + UUID.randomUUID().toString().substring(0, 8);
		this.http.post("/api/agents", Http.json(Map.of("id", agent, "criticality", "essential", "health_url",
				"http://127.0.0.1:" + closed + "/health")));

		JsonNode report = this.http.post("/api/diagnostics/run", "").json();
		for (int run = 0; run < 5 && !"failed".equals(state(agent)); run++) {
			report = this.http.post("/api/diagnostics/run", "").json();
		}

		List<String> names = new ArrayList<>();
		report.get("checks").forEach((c) -> {
			names.add(c.get("name").asString());
			assertThat(c.get("ok").asBoolean()).as(c.toString()).isTrue();
			assertThat(c.get("took_ms").asLong()).isNotNegative();
		});
		assertThat(names).containsExactly("postgres", "kafka", "agent-probes");
		List<String> worst = new ArrayList<>();
		this.http.get("/api/diagnostics")
			.json()
			.get("agents")
			.get("worst")
			.forEach((a) -> worst.add(a.get("id").asString()));
		assertThat(state(agent)).isEqualTo("failed");
		assertThat(worst).as("failed essential agents come first").startsWith(agent);
	}

	private String state(String agent) {
		return this.http.get("/api/agents/" + agent).json().get("agent").get("state").asString();
	}

}
