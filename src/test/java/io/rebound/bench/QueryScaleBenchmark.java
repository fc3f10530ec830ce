package io.rebound.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import io.rebound.Http;
import io.rebound.LocalKafka;
import io.rebound.TestPostgres;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.util.FileSystemUtils;

/**
 * What ingest and the API's reads cost with many events stored ({@code ./mvnw -Pbench
 * verify -Dtest=QueryScaleBenchmark}, {@code -Dbench.stored=10000000}): a live Rebound in
 * its own JVM drains {@code -Dbench.events} events through Kafka into the empty database
 * (after a warm-up of {@code -Dbench.warmup}, 1,600,000 events, so that both drains are
 * taken on a JVM done compiling), then the database is loaded straight with SQL — N
 * events over the last 13 days in their day partitions, 10,000 errors of 500 sources,
 * 5,000 incidents — and vacuumed, and the same drain runs again: its rate against the
 * empty one, with the correlator's rounds meanwhile. Then every list and filter of
 * {@code GET /api/errors}, a cursor five pages deep, {@code GET /api/errors/{id}/events}
 * (first page and the next) and {@code GET /api/incidents}, each called 200 times after
 * 20 to warm up, over real HTTP. Prints the rates, p50, p99 and max per call; the targets
 * are the rate within 10 % and p99 ≤ 50 ms. Figures only.
 */
class QueryScaleBenchmark {

	private static final long STORED = Long.getLong("bench.stored", 10_000_000);

	private static final int ERRORS = 10_000;

	private static final int CALLS = 200;

	private static final long INGEST_DEFAULT = 200_000;

	/**
	 * Events drained before the measured drains, so that both are taken on a JVM done
	 * compiling (the ingest benchmark's warm point: C2 still compiles at about 7 µs of
	 * CPU per event in the second 200,000 events).
	 */
	private static final long WARMUP = Long.getLong("bench.warmup", 1_600_000);

	/** Events per ingest drain. */
	private static final long INGEST = Long.getLong("bench.events", INGEST_DEFAULT);

	@Test
	void queriesAtScale() throws Exception {
		Path work = Path.of("target/bench-queries");
		FileSystemUtils.deleteRecursively(work);
		Files.createDirectories(work);
		String database = TestPostgres.createDatabase("rebound_query_bench");
		String url = TestPostgres.server().url(database);
		try (LocalKafka kafka = LocalKafka.start(0, work.resolve("kafka"));
				// noise limits off: 100 sources at full speed would be counted mostly
				ReboundProcess rebound = ReboundProcess.start(18084, kafka.bootstrapServers(), url,
						work.resolve("rebound.log"), "--rebound.ingest.limits.enabled=false")) {
			// ingest on the empty database first: a warm-up drain, then the one measured
			BenchEvents events = new BenchEvents();
			IngestBenchmark.produce(kafka.bootstrapServers(), events, 0, WARMUP);
			try (Connection connection = DriverManager.getConnection(url, TestPostgres.server().user(),
					TestPostgres.server().password()); Statement sql = connection.createStatement()) {
				while (counted(sql) < WARMUP) {
					Thread.sleep(200);
				}
			}
			Drain empty = drain(kafka.bootstrapServers(), url, rebound, events, WARMUP, INGEST);
			long loading = System.nanoTime();
			load(url);
			System.out.printf(Locale.ROOT, "[bench] PostgreSQL: %s%n", TestPostgres.server().kind());
			System.out.printf(Locale.ROOT, "[bench] loaded %,d events, %,d errors, 5,000 incidents in %.0f s%n", STORED,
					ERRORS, (System.nanoTime() - loading) / 1e9);
			Drain full = drain(kafka.bootstrapServers(), url, rebound, events, WARMUP + INGEST, INGEST);
			System.out.printf(Locale.ROOT,
					"[bench] ingest of %,d events, empty database: %,.0f events/s; "
							+ "correlator rounds: %d, %.1f ms on average%n",
					INGEST, empty.rate(), empty.rounds(), empty.roundMillis());
			System.out.printf(Locale.ROOT,
					"[bench] ingest of %,d events, %,d stored: %,.0f events/s (%.0f %% of "
							+ "empty); correlator rounds: %d, %.1f ms on average, with %,d errors in the table%n",
					INGEST, STORED, full.rate(), 100 * full.rate() / empty.rate(), full.rounds(), full.roundMillis(),
					full.errors());
			Http http = new Http(rebound.port());
			Random random = new Random(7);
			List<String> ids = new ArrayList<>();
			http.get("/api/errors?limit=200").json().get("items").forEach((e) -> ids.add(e.get("id").asString()));
			String deep = "/api/errors?limit=50";
			for (int page = 0; page < 5; page++) {
				deep = "/api/errors?limit=50&cursor=" + http.get(deep).json().get("next_cursor").asString();
			}
			String busiest = ids.get(0);
			String next = http.get("/api/errors/" + busiest + "/events?limit=50").json().get("next_cursor").asString();
			Map<String, Supplier<String>> calls = new LinkedHashMap<>();
			calls.put("GET /api/errors", () -> "/api/errors?limit=50");
			calls.put("  ?source=", () -> "/api/errors?limit=50&source=agent-" + random.nextInt(500));
			calls.put("  ?severity=critical", () -> "/api/errors?limit=50&severity=critical");
			calls.put("  ?min_severity=high", () -> "/api/errors?limit=50&min_severity=high");
			calls.put("  ?type=", () -> "/api/errors?limit=50&type=type-" + random.nextInt(20));
			calls.put("  ?category=network", () -> "/api/errors?limit=50&category=network");
			calls.put("  ?status=resolved", () -> "/api/errors?limit=50&status=resolved");
			calls.put("  ?since= (last hour)",
					() -> "/api/errors?limit=50&since=" + java.time.Instant.now().minusSeconds(3600));
			String fifth = deep;
			calls.put("  cursor, 5 pages deep", () -> fifth);
			calls.put("GET /api/errors/{id}/events",
					() -> "/api/errors/" + ids.get(random.nextInt(ids.size())) + "/events?limit=50");
			calls.put("  next page (cursor)", () -> "/api/errors/" + busiest + "/events?limit=50&cursor=" + next);
			calls.put("GET /api/incidents", () -> "/api/incidents?limit=50");
			calls.put("  ?status=open", () -> "/api/incidents?limit=50&status=open");
			System.out.printf(Locale.ROOT, "%n%-30s %8s %8s %8s%n", "call", "p50 ms", "p99 ms", "max ms");
			for (Map.Entry<String, Supplier<String>> call : calls.entrySet()) {
				measure(http, call.getKey(), call.getValue());
			}
		}
		finally {
			TestPostgres.dropDatabase(database);
		}
	}

	/**
	 * How one drain went.
	 *
	 * @param rate events stored per second, from the first to the last
	 * @param rounds correlator rounds that found news meanwhile
	 * @param roundMillis their mean duration
	 * @param errors errors in the table at the end
	 */
	record Drain(double rate, long rounds, double roundMillis, long errors) {
	}

	/**
	 * Publishes {@value #INGEST_DEFAULT} events (the ingest benchmark's kind) and waits
	 * until Rebound has counted them all in their errors.
	 */
	private static Drain drain(String kafka, String url, ReboundProcess rebound, BenchEvents events, long from,
			long count) throws Exception {
		TestPostgres.Server server = TestPostgres.server();
		try (Connection connection = DriverManager.getConnection(url, server.user(), server.password());
				Statement sql = connection.createStatement()) {
			long before = counted(sql);
			double[] roundsBefore = rebound.timer("rebound.correlation.rounds");
			// made first, then sent and watched from the first stored: Rebound drains
			// them
			// as they come, slower than they are sent
			byte[][] values = new byte[(int) count][];
			for (int i = 0; i < count; i++) {
				values[i] = events.event(from + i, 0);
			}
			Thread producer = new Thread(() -> IngestBenchmark.send(kafka, from, values));
			producer.start();
			long first = 0;
			long stored = 0;
			while (stored < count) {
				Thread.sleep(50);
				stored = counted(sql) - before;
				if (stored > 0 && first == 0) {
					first = System.nanoTime();
				}
			}
			double seconds = (System.nanoTime() - first) / 1e9;
			producer.join();
			double[] rounds = rebound.timer("rebound.correlation.rounds");
			long n = (long) (rounds[0] - roundsBefore[0]);
			try (java.sql.ResultSet rs = sql.executeQuery("SELECT count(*) FROM errors")) {
				rs.next();
				return new Drain(count / seconds, n, (n > 0) ? (rounds[1] - roundsBefore[1]) * 1000 / n : Double.NaN,
						rs.getLong(1));
			}
		}
	}

	private static long counted(Statement sql) throws Exception {
		try (java.sql.ResultSet rs = sql.executeQuery("SELECT coalesce(sum(count), 0) FROM errors")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static void measure(Http http, String name, Supplier<String> path) {
		for (int i = 0; i < 20; i++) {
			check(http.get(path.get()), name);
		}
		double[] ms = new double[CALLS];
		for (int i = 0; i < CALLS; i++) {
			String p = path.get();
			long start = System.nanoTime();
			Http.Response response = http.get(p);
			ms[i] = (System.nanoTime() - start) / 1e6;
			check(response, name);
		}
		java.util.Arrays.sort(ms);
		System.out.printf(Locale.ROOT, "%-30s %8.1f %8.1f %8.1f%n", name, ms[CALLS / 2], ms[(int) (CALLS * 0.99)],
				ms[CALLS - 1]);
	}

	private static void check(Http.Response response, String name) {
		if (response.status() != 200) {
			throw new IllegalStateException(name + " -> " + response.status() + " " + response.body());
		}
		JsonNode items = response.json().get("items");
		if (items == null) {
			throw new IllegalStateException(name + ": no items");
		}
	}

	/** Errors, events in their day partitions, incidents: straight into the database. */
	private static void load(String url) throws Exception {
		TestPostgres.Server server = TestPostgres.server();
		try (Connection connection = DriverManager.getConnection(url, server.user(), server.password());
				Statement sql = connection.createStatement()) {
			LocalDate today = LocalDate.now(ZoneOffset.UTC);
			for (int d = 1; d <= 13; d++) {
				LocalDate day = today.minusDays(d);
				sql.execute("CREATE TABLE IF NOT EXISTS error_events_p" + day.toString().replace("-", "")
						+ " PARTITION OF error_events FOR VALUES FROM ('" + day + "T00:00:00Z') TO ('" + day.plusDays(1)
						+ "T00:00:00Z')");
			}
			long perError = STORED / ERRORS;
			sql.execute(
					"""
							INSERT INTO errors (id, fingerprint, fingerprint_inputs, source, type, category, severity, status,
							                    count, first_seen, last_seen, last_received, message, last_event_id, activity_seq,
							                    observed_seq)
							SELECT md5('e' || g)::uuid, 'fp-' || g, '{}', 'agent-' || (g %% 500), 'type-' || (g %% 20),
							       (ARRAY['network','resource','database','worker','system'])[1 + g %% 5],
							       (ARRAY['critical','high','medium','low','info'])[1 + (g / 7) %% 5],
							       CASE WHEN g %% 4 = 0 THEN 'resolved' ELSE 'open' END,
							       %d, now() - interval '13 days', now() - (g || ' seconds')::interval,
							       now() - (g || ' seconds')::interval, 'message of error ' || g, md5('v' || g)::uuid,
							       %d - g, %d - g
							FROM generate_series(0, %d) g
							"""
						.formatted(perError, STORED + ERRORS, STORED + ERRORS, ERRORS - 1));
			// events: the error is g % ERRORS; received evenly over the last 13 days,
			// oldest first
			sql.execute("""
					INSERT INTO error_events (event_id, seq, error_id, source, type, severity, category, message,
					                          occurred_at, received_at, context, topic, kafka_partition, kafka_offset)
					SELECT md5('v' || g)::uuid, g + 1, md5('e' || (g %% %d))::uuid, 'agent-' || ((g %% %d) %% 500),
					       'type-' || ((g %% %d) %% 20), 'high', 'network', 'message of error ' || (g %% %d),
					       at, at, '{"attempt": 1}', 'rebound.errors.high', 0, g
					FROM (SELECT g, now() - interval '13 days' + (g * (interval '13 days' / %d)) AS at
					      FROM generate_series(0, %d) g) s
					""".formatted(ERRORS, ERRORS, ERRORS, ERRORS, STORED, STORED - 1));
			sql.execute("INSERT INTO error_event_ids (event_id, received_at, seq) "
					+ "SELECT event_id, received_at, seq FROM error_events ON CONFLICT DO NOTHING");
			sql.execute("SELECT setval('error_events_position', " + (STORED + ERRORS + 1) + ")");
			sql.execute("""
					INSERT INTO incidents (id, status, kind, correlation_key, title, severity, reason, opened_at,
					                       last_activity_at, root_agent)
					SELECT md5('i' || g)::uuid, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'resolved' END, 'rule',
					       'key-' || g, 'incident ' || g, 'high', '{}', now() - (g || ' minutes')::interval,
					       now() - (g || ' minutes')::interval, 'agent-' || (g % 500)
					FROM generate_series(0, 4999) g
					""");
			// a database holding this much has been vacuumed long since, and its pages
			// written out; without it the autovacuum of the freshly loaded tables and the
			// checkpoint writing the load's pages run during the measurements
			sql.execute("VACUUM (ANALYZE)");
			sql.execute("CHECKPOINT");
		}
	}

}
