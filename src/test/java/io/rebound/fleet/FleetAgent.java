package io.rebound.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import io.rebound.client.ControlAnswer;
import io.rebound.client.ControlCall;
import io.rebound.client.ReboundClient;

/**
 * One agent of the simulated fleet, on the Java client: it registers, heartbeats, reports
 * its errors and answers Rebound's signed control calls on its own endpoint, like any
 * agent. A fault injected into it changes what it reports, what its heartbeats and health
 * endpoint say, and which control verbs end it ({@link Fault}); every call it receives is
 * kept in its own log, which survives its restarts, to compare with Rebound's attempts. A
 * restart is a real one: the client is closed (it says {@code stopping}) and a new one
 * registers again a second later, on a new control port.
 */
final class FleetAgent implements AutoCloseable {

	/**
	 * A control call the agent received, on its own clock, at the control URL it had
	 * then.
	 */
	record Received(String verb, String attemptId, int level, String strategy, Instant at, boolean cured, String url) {
	}

	final String id;

	private final Supplier<ReboundClient.Builder> builder;

	private final ExecutorService restarts;

	/** The agent it depends on whose outage makes it fail, or {@code null}. */
	final FleetAgent dependency;

	/** The group whose poisoning it shares, or {@code null}. */
	final FleetGroup group;

	private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

	/** Every control URL it had, one per start. */
	private final ConcurrentLinkedQueue<String> urls = new ConcurrentLinkedQueue<>();

	private final Object lock = new Object();

	private volatile ReboundClient client;

	private volatile Fault fault;

	private volatile Instant faultSince;

	private volatile Instant curedAt;

	private volatile int beatsInFault;

	private volatile boolean closed;

	/** While it restarts its work does not run: it reports nothing. */
	private volatile boolean restarting;

	private final java.util.concurrent.atomic.AtomicLong reported = new java.util.concurrent.atomic.AtomicLong();

	FleetAgent(String id, Supplier<ReboundClient.Builder> builder, ExecutorService restarts, FleetAgent dependency,
			FleetGroup group) {
		this.id = id;
		this.builder = builder;
		this.restarts = restarts;
		this.dependency = dependency;
		this.group = group;
	}

	void start() {
		ReboundClient started = this.builder.get().metrics(this::metrics).health(this::healthy).build();
		String url = started.controlUrl();
		this.urls.add(url);
		started.on("retry", (call) -> control(call, url))
			.on("reload", (call) -> control(call, url))
			.on("restart", (call) -> control(call, url));
		this.client = started;
	}

	// --- faults ------------------------------------------------------------------

	void inject(Fault kind) {
		synchronized (this.lock) {
			this.fault = kind;
			this.faultSince = Instant.now();
			this.curedAt = null;
			this.beatsInFault = 0;
		}
		if (kind.message != null && kind != Fault.FLAPPING) {
			report();
		}
	}

	Fault fault() {
		return this.fault;
	}

	/**
	 * When the agent's own fault ended, or {@code null} while it lasts (or none began).
	 */
	Instant curedAt() {
		return this.curedAt;
	}

	/** Whether its fault (or its dependency's outage) still lasts at this instant. */
	boolean brokenAt(Instant at) {
		Instant since = this.faultSince;
		Instant cured = this.curedAt;
		return since != null && !at.isBefore(since) && (cured == null || at.isBefore(cured));
	}

	void cure() {
		synchronized (this.lock) {
			if (this.fault != null) {
				this.fault = null;
				this.curedAt = Instant.now();
				this.lock.notifyAll();
			}
		}
	}

	private boolean dependencyDown() {
		return this.dependency != null && this.dependency.fault == Fault.DEPENDENCY;
	}

	/**
	 * Called every second by the fleet: what a failing agent's work reports. A crashed
	 * worker reported its crash once; a flapping one fails every other three seconds.
	 */
	void tick() {
		Fault now = this.fault;
		if (this.restarting) {
			return;
		}
		if (dependencyDown() && this.client.report("connection_error",
				"connection refused to " + this.dependency.id + ":5432", "high", Map.of("fleet", true))) {
			this.reported.incrementAndGet();
		}
		if (now == null || now.message == null || now == Fault.CRASH || now == Fault.DEPENDENCY) {
			return;
		}
		if (now == Fault.FLAPPING && !failingPhase()) {
			return;
		}
		report();
	}

	private void report() {
		Fault now = this.fault;
		ReboundClient current = this.client;
		if (now != null && current != null && !this.restarting && current.report(now.type(), now.message,
				(now == Fault.CRASH || now == Fault.DEPENDENCY) ? "critical" : "high", Map.of("fleet", true))) {
			this.reported.incrementAndGet();
		}
	}

	private boolean failingPhase() {
		Instant since = this.faultSince;
		return since != null && (Duration.between(since, Instant.now()).toSeconds() / 3) % 2 == 0;
	}

	// --- what the agent shows ------------------------------------------------------

	private Map<String, Object> metrics() {
		Fault now = this.fault;
		Map<String, Object> metrics = new LinkedHashMap<>();
		metrics.put("response_time_ms", 120);
		metrics.put("error_rate", 0.0);
		metrics.put("memory", 0.4);
		metrics.put("cpu", 0.2);
		if (now == Fault.HANG) {
			// its main loop hangs, and so does the heartbeat it would send: silence until
			// a restart (the client's close interrupts the wait)
			synchronized (this.lock) {
				while (this.fault == Fault.HANG && !this.closed) {
					try {
						this.lock.wait(1000);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException("hung agent restarted");
					}
				}
			}
			return metrics;
		}
		if (now == Fault.CRASH || now == Fault.DEPENDENCY || dependencyDown()) {
			metrics.put("error_rate", 1.0);
		}
		else if (now == Fault.FLAPPING && failingPhase()) {
			metrics.put("error_rate", 0.6);
		}
		else if (now == Fault.SLOW_LEAK) {
			int beats = ++this.beatsInFault;
			metrics.put("memory", Math.min(0.995, 0.80 + 0.03 * beats));
			metrics.put("response_time_ms", 200 + 150 * beats);
		}
		return metrics;
	}

	private boolean healthy() {
		Fault now = this.fault;
		return now != Fault.HANG && now != Fault.CRASH && now != Fault.DEPENDENCY;
	}

	// --- control ----------------------------------------------------------------

	private ControlAnswer control(ControlCall call, String url) {
		Fault now = this.fault;
		boolean cures = now != null && now.curedBy.contains(call.verb())
				&& (now != Fault.POISONED_GROUP || this.group.restarted(this));
		this.received
			.add(new Received(call.verb(), call.attemptId(), call.level(), call.strategy(), Instant.now(), cures, url));
		if (cures) {
			if (now == Fault.POISONED_GROUP) {
				this.group.cure();
			}
			else {
				cure();
			}
		}
		if ("restart".equals(call.verb())) {
			this.restarts.submit(this::restart);
			return ControlAnswer.accepted("restarting");
		}
		return ControlAnswer.done();
	}

	/**
	 * A real restart: the client stops (it says so), and a new one starts a second later.
	 */
	private void restart() {
		try {
			Thread.sleep(200); // the answer leaves first
			this.restarting = true;
			ReboundClient old = this.client;
			old.close(Duration.ofSeconds(2));
			Thread.sleep(1000);
			if (!this.closed) {
				start();
			}
			this.restarting = false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * How many events its work reported (each queued by the client, to be delivered
	 * once).
	 */
	long reported() {
		return this.reported.get();
	}

	/** Waits until its client delivered what it queued, at most this long. */
	boolean flush(Duration timeout) {
		return this.client.flush(timeout);
	}

	/** The calls it received, in order. */
	List<Received> received() {
		return new ArrayList<>(this.received);
	}

	List<String> urls() {
		return new ArrayList<>(this.urls);
	}

	long received(String verb) {
		return this.received.stream().filter((r) -> r.verb().equals(verb)).count();
	}

	@Override
	public void close() {
		this.closed = true;
		synchronized (this.lock) {
			this.lock.notifyAll();
		}
		ReboundClient current = this.client;
		if (current != null) {
			current.close(Duration.ofSeconds(1));
		}
	}

}
