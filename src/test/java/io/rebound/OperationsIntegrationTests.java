package io.rebound;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What operators and their tools read: probes, metrics, the OpenAPI document.
 */
@IntegrationTest
class OperationsIntegrationTests {

	@LocalServerPort
	int port;

	Http http;

	@BeforeEach
	void setUp() {
		this.http = new Http(this.port);
	}

	@Test
	void readinessCoversPostgresAndKafka() {
		Http.Response readiness = this.http.get("/actuator/health/readiness");

		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
		assertThat(readiness.json().get("components").propertyNames()).contains("db", "kafka");
		assertThat(this.http.get("/actuator/health/liveness").status()).isEqualTo(200);
	}

	@Test
	void prometheusExposesIngestMetrics() {
		String agent = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
		this.http.post("/api/errors",
				"{\"source\":\"" + agent + "\",\"type\":\"t\",\"severity\":\"critical\",\"message\":\"m\"}");

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			String metrics = this.http.get("/actuator/prometheus").body();
			assertThat(metrics).containsPattern("rebound_ingest_events_total\\{[^}]*severity=\"critical\"[^}]*} [1-9]");
			assertThat(metrics).contains("rebound_ingest_duplicates_total", "rebound_ingest_dead_letters_total",
					"rebound_ingest_batch_size_count", "rebound_ingest_lag_seconds_bucket");
		});
	}

	@Test
	void servesTheOpenApiDocument() {
		Http.Response response = this.http.get("/v3/api-docs");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().get("paths").propertyNames()).contains("/api/errors", "/api/errors/{id}",
				"/api/errors/{id}/events", "/api/errors/{id}/resolve", "/api/errors/{id}/reopen");
	}

	@Test
	void unknownPathsAreProblemDetails() {
		Http.Response response = this.http.get("/api/nothing-here");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
	}

}
