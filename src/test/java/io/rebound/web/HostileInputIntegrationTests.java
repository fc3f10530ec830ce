package io.rebound.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.rebound.Http;
import io.rebound.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws malformed and hostile input at every endpoint that takes input, over real HTTP:
 * broken JSON, wrong types, huge strings, deep nesting, control characters, SQL and
 * template injection, unknown enum values. Every answer must be a 4xx problem detail,
 * never a 5xx; nothing of a rejected request may be stored; and Rebound must answer
 * normally afterwards. The generators are the test's own, driven by one seed — a new one
 * each run, printed with any failure; {@code -Drebound.fuzz.seed=<seed>} repeats a run.
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
		long seed = Long.getLong("rebound.fuzz.seed", new Random().nextLong());
		Random random = new Random(seed);
		List<String> failures = new ArrayList<>();
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < SAMPLES * 4; i++) {
			bodies.add(hostileBody(random, marker));
		}
		List<String> endpoints = List.of("/api/errors", "/api/agents", "/api/agents/beat-" + marker + "/heartbeat",
				"/api/correlation/explain", "/api/keys", "/api/incidents/" + incident + "/merge",
				"/api/incidents/" + incident + "/split", "/api/errors/" + incident + "/resolve",
				"/api/recovery/runs/" + incident + "/approve");
		for (String body : bodies) {
			for (String endpoint : endpoints) {
				check(http.post(endpoint, body), "POST " + endpoint, body, failures);
			}
			check(http.put("/api/correlation/rules/" + marker, body), "PUT rule", body, failures);
			check(http.put("/api/agents/cp-" + marker + "/checkpoints/t", body), "PUT checkpoint", body, failures);
		}
		List<String> values = new ArrayList<>(List.of("", "%", "&", "="));
		for (int i = 0; i < SAMPLES; i++) {
			values.add(hostileString(random));
		}
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

		assertThat(failures).as("answers that were not a 4xx problem detail (seed " + seed + ")").isEmpty();
		// nothing arrives late either: an accepted event is stored within a second
		org.awaitility.Awaitility.await()
			.during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(this.jdbc.queryForObject("SELECT count(*) FROM errors WHERE source LIKE ?",
					Long.class, marker + "%"))
				.as("errors stored from rejected requests (seed " + seed + ")")
				.isZero());
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
	 * goes: one of six kinds, chosen at random.
	 */
	private static String hostileBody(Random random, String marker) {
		return switch (random.nextInt(6)) {
			case 0 -> pick(random, "{", "}", "[", "{\"source\":", "{'a':1}", "nul", "tru", "{\"a\":1,}", "\u0000", "",
					" ", "[1,2", "{\"source\":\"" + marker + "\" \"type\":1}");
			case 1 -> pick(random, "1", "true", "null", "\"text\"", "[]", "[[]]",
					"{\"source\":[\"" + marker + "\"],\"type\":{},\"severity\":7,\"message\":false}",
					"{\"id\":5,\"role\":[],\"name\":{},\"agent_ids\":\"x\"}",
					"{\"incidents\":\"all\",\"error_ids\":[1,2]}", "{\"match\":\"x\",\"cause\":[]}");
			case 2 -> {
				String v = pick(random, "critical!", "CRITICAL", "urgent", "root", "admin", "");
				yield Http.json(fields("source", marker, "type", "t", "severity", v, "message", "m", "role", v, "name",
						marker, "owner", marker, "category", v + "x", "match",
						List.of(Map.of("field", "message", "op", v + "op", "value", "x")), "cause", "c"));
			}
			case 3 -> {
				int n = 500 + random.nextInt(2501);
				yield "{\"source\":\"" + marker + "\",\"context\":" + "[".repeat(n) + "]".repeat(n) + "}";
			}
			case 4 -> {
				String v = hostileString(random);
				yield Http
					.json(fields("source", marker + v, "type", v, "severity", v, "message", v, "id", marker + v, "name",
							v, "role", v, "owner", v, "match", List.of(Map.of("field", v, "op", "matches", "value", v)),
							"cause", v, "incidents", List.of(v), "error_ids", List.of(v)));
			}
			default -> hostileString(random);
		};
	}

	/**
	 * Strings that are hostile: injections and templates, any UTF-16 text (lone
	 * surrogates included) up to 300 chars, control characters, or 10 to 300 thousand
	 * chars.
	 */
	private static String hostileString(Random random) {
		return switch (random.nextInt(4)) {
			case 0 -> pick(random, "' OR 1=1 --", "'; DROP TABLE errors; --", "\" OR \"\"=\"", "${jndi:ldap://x/a}",
					"{{7*7}}", "#{7*7}", "<script>alert(1)</script>", "../../etc/passwd", "%s%s%s%n", "\u0000",
					"\u202e", "\ud83d\ude00", "((((((((((a+)+)+)+)+)+)+)+)+)+)+$");
			case 1 -> chars(random, random.nextInt(301), Character.MIN_VALUE, Character.MAX_VALUE);
			case 2 -> chars(random, 1 + random.nextInt(50), '\u0000', '\u001f');
			default -> "x".repeat(10_000 + random.nextInt(290_001));
		};
	}

	private static String chars(Random random, int length, char from, char to) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			// now and then one from the ends of the range, where the edge cases are
			text.append((random.nextInt(8) == 0) ? (random.nextBoolean() ? from : to)
					: (char) (from + random.nextInt(to - from + 1)));
		}
		return text.toString();
	}

	@SafeVarargs
	private static <T> T pick(Random random, T... choices) {
		return choices[random.nextInt(choices.length)];
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
