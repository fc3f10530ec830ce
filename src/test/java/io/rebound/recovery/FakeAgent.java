package io.rebound.recovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.rebound.Http;

/**
 * An agent that fails in a scripted way: a real HTTP control endpoint
 * ({@code /control/retry|reload|restart}) that records the calls, and heartbeats to
 * Rebound every 150 ms saying {@code degraded} while broken and {@code ok} once cured. It
 * is cured by the verb it was given, or never.
 */
final class FakeAgent implements AutoCloseable {

	final String id;

	final List<String> calls = new CopyOnWriteArrayList<>();

	/** The body of each control call, in order. */
	final List<String> bodies = new CopyOnWriteArrayList<>();

	private final HttpServer server;

	private final ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor();

	private final Map<String, Long> delays = new java.util.concurrent.ConcurrentHashMap<>();

	/** The level of each verb, for agents cured by any action from a level up. */
	private static final Map<String, Integer> LEVELS = Map.of("retry", 1, "retry-extended", 2, "reload", 2, "restart",
			3, "scale", 4);

	private volatile int cureLevel;

	/** Verbs it answers {@code 409} to: not applicable here. */
	private final Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private volatile boolean broken = true;

	private volatile String curedBy;

	private volatile boolean healthyWhileBroken;

	private volatile java.util.function.Supplier<Map<String, Object>> metrics = Map::of;

	private volatile String silentAfter;

	private volatile long silenceMs;

	private volatile long silentUntil;

	private final Object work = new Object();

	private final Map<String, Object> registration;

	FakeAgent(String id, String curedBy, Http rebound) throws IOException {
		this(id, curedBy, rebound, Map.of("kind", "worker-" + id));
	}

	/**
	 * An agent registered with more: {@code kind}, {@code policy}, {@code depends_on},
	 * {@code labels}. The verb {@code retry-extended} stands for a {@code retry} whose
	 * body says {@code "extended": "true"}.
	 */
	FakeAgent(String id, String curedBy, Http rebound, Map<String, Object> registration) throws IOException {
		this.curedBy = curedBy;
		this.id = id;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/control/", (exchange) -> {
			String verb = exchange.getRequestURI().getPath().substring("/control/".length());
			// its work stops while it is acted on: no report is in flight when it answers
			synchronized (this.work) {
				String body = new String(exchange.getRequestBody().readAllBytes(),
						java.nio.charset.StandardCharsets.UTF_8);
				if (verb.equals("retry") && body.contains("\"extended\":\"true\"")) {
					verb = "retry-extended";
				}
				this.calls.add(verb);
				this.bodies.add(body);
				if (this.cureLevel > 0 && LEVELS.getOrDefault(verb, 0) >= this.cureLevel) {
					this.broken = false;
				}
				Long delay = this.delays.get(verb);
				if (delay != null) {
					try {
						Thread.sleep(delay);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				if (verb.equals(this.curedBy)) {
					this.broken = false;
				}
				if (verb.equals(this.silentAfter)) {
					this.silentUntil = System.currentTimeMillis() + this.silenceMs;
				}
			}
			exchange.sendResponseHeaders(this.refused.contains(verb) ? 409 : 200, -1);
			exchange.close();
		});
		this.server.start();
		this.registration = new java.util.HashMap<>(registration);
		this.registration.put("id", id);
		this.registration.put("control_url", "http://127.0.0.1:" + this.server.getAddress().getPort() + "/control");
		rebound.post("/api/agents", Http.json(this.registration));
		this.heart.scheduleAtFixedRate(() -> {
			if (System.currentTimeMillis() < this.silentUntil) {
				return;
			}
			try {
				Map<String, Object> beat = new java.util.HashMap<>(this.metrics.get());
				beat.put("status", (this.broken && !this.healthyWhileBroken) ? "degraded" : "ok");
				rebound.post("/api/agents/" + id + "/heartbeat", Http.json(beat));
			}
			catch (RuntimeException ex) {
				// Rebound is shutting down with the test
			}
		}, 0, 150, TimeUnit.MILLISECONDS);
	}

	/** Its heartbeats report these metrics too, asked for at every heartbeat. */
	void reports(java.util.function.Supplier<Map<String, Object>> metrics) {
		this.metrics = metrics;
	}

	/** Its process stays up and says {@code ok} while its work fails. */
	void healthyWhileBroken() {
		this.healthyWhileBroken = true;
	}

	/**
	 * While broken, its work fails every 200 ms and it reports so, stamping its events
	 * with a clock that is off by {@code offset}.
	 */
	void reportsWhileBroken(Http rebound, java.time.Duration offset) {
		this.heart.scheduleAtFixedRate(() -> {
			synchronized (this.work) {
				if (this.broken) {
					try {
						rebound.post("/api/errors",
								Http.json(Map.of("source", this.id, "type", "stall", "severity", "critical", "message",
										"engine stalled on job " + java.util.UUID.randomUUID(), "timestamp",
										java.time.Instant.now().plus(offset).toString())));
					}
					catch (RuntimeException ex) {
						// Rebound is shutting down with the test
					}
				}
			}
		}, 0, 200, TimeUnit.MILLISECONDS);
	}

	/** From now on this verb cures it. */
	void cureBy(String verb) {
		this.curedBy = verb;
	}

	/** From now on it answers {@code 409} (not applicable here) to this verb. */
	void refuse(String verb) {
		this.refused.add(verb);
	}

	/**
	 * From now on any action of this level or above cures it (a restart cures what a
	 * reload cures); 0: only the verb it was given.
	 */
	void cureFromLevel(int level) {
		this.cureLevel = level;
	}

	/** Whether it is broken now. */
	boolean broken() {
		return this.broken;
	}

	/** It takes this long to answer this verb. */
	void slow(String verb, java.time.Duration delay) {
		this.delays.put(verb, delay.toMillis());
	}

	/**
	 * After answering this verb it says nothing for this long, as a process that is being
	 * replaced.
	 */
	void silentAfter(String verb, java.time.Duration silence) {
		this.silenceMs = silence.toMillis();
		this.silentAfter = verb;
	}

	/** It registers again with these fields changed, as after a rollout. */
	void registerAgain(Http rebound, Map<String, Object> changes) {
		this.registration.putAll(changes);
		rebound.post("/api/agents", Http.json(this.registration));
	}

	/** It is well again, whatever was done. */
	void cure() {
		this.broken = false;
	}

	/** It fails again. */
	void breakAgain() {
		this.broken = true;
	}

	long calls(String verb) {
		return this.calls.stream().filter(verb::equals).count();
	}

	@Override
	public void close() {
		this.heart.shutdownNow();
		this.server.stop(0);
	}

}
