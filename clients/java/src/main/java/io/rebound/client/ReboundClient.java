package io.rebound.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Makes a Java agent a good citizen of Rebound: reports its errors without ever blocking
 * or throwing (a bounded queue drained by a background thread, a spool on disk while
 * Rebound is away), registers it, sends its heartbeats, and answers Rebound's signed
 * recovery calls through the handlers it registers. Build one per process with
 * {@link #builder()}; close it at exit (it flushes).
 */
public final class ReboundClient implements AutoCloseable {

	private static final Logger log = System.getLogger("io.rebound.client");

	private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private static volatile ReboundClient current;

	private final String agentId;

	private final Transport transport;

	private final Spool spool;

	private final Worker worker;

	private final ControlServer control;

	private final Checkpoints checkpoints;

	private final Features features;

	private final Map<String, Object> registration;

	private final Map<String, ControlHandler> handlers = new ConcurrentHashMap<>();

	private final Map<String, String> breakers = new ConcurrentHashMap<>();

	private final Supplier<Map<String, Object>> metrics;

	private final ScheduledExecutorService heart;

	private volatile boolean registered;

	private final boolean register;

	/** Counts changes of the registration, so one sent before a change does not count. */
	private int registrationVersion;

	/** The verbs every agent with a control endpoint is taken to handle; others are declared. */
	public static final java.util.Set<String> BASIC_VERBS = java.util.Set.of("retry", "reload", "restart", "scale");

	private volatile boolean closed;

	private ReboundClient(Builder b) throws IOException {
		if (b.agentId == null || !AGENT_ID.matcher(b.agentId).matches()) {
			throw new IllegalArgumentException(
					"agent id '" + b.agentId + "' is not an agent id ([A-Za-z0-9._:-]{1,128}); set REBOUND_AGENT_ID");
		}
		this.agentId = b.agentId;
		HttpTransport http = new HttpTransport(b.url, b.key, b.timeout);
		this.transport = "kafka".equals(b.transport()) ? new KafkaTransport(b.kafkaBootstrap, b.topicPrefix,
				b.agentId, http, b.timeout, b.kafkaSettings) : http;
		this.registration = new LinkedHashMap<>();
		this.registration.put("id", b.agentId);
		this.registration.put("kind", b.kind);
		this.registration.put("depends_on", b.dependsOn);
		this.registration.put("criticality", b.criticality);
		this.registration.put("policy", b.policy);
		this.registration.put("labels", b.labels);
		if (b.version != null) {
			this.registration.put("version", b.version);
		}
		if (b.control) {
			this.control = new ControlServer(b.controlHost, b.controlPort, b.controlSecret, this.handlers, b.health,
					b.maxSkew.toSeconds());
			String host = (b.advertiseHost != null) ? b.advertiseHost
					: ("127.0.0.1".equals(b.controlHost) || "localhost".equals(b.controlHost)) ? "127.0.0.1"
							: InetAddress.getLocalHost().getHostName();
			String base = "http://" + host + ":" + this.control.port();
			this.registration.put("control_url", base + "/control");
			if (b.advertiseHealth) {
				this.registration.put("health_url", base + "/health");
			}
		}
		else {
			this.control = null;
		}
		this.spool = new Spool(b.spoolDir.resolve(b.agentId), b.spoolMaxBytes, 1024 * 1024);
		this.worker = new Worker(this.transport, this.spool, b.queueSize,
				(lost, queueFull, spoolFull) -> new Event.Captured(System.currentTimeMillis(), b.agentId,
						"events_dropped", "medium",
						"rebound-client dropped " + lost + " events while Rebound could not be reached",
						Map.of("queue_full", queueFull, "spool_full", spoolFull))
					.event(),
				b.maxBackoff);
		this.checkpoints = new Checkpoints(b.url, b.key, b.agentId, b.timeout, b.maxBackoff);
		this.features = new Features(http, (b.degradationInterval != null) ? b.degradationInterval
				: (b.heartbeatInterval.compareTo(Duration.ofSeconds(1)) > 0) ? b.heartbeatInterval : Duration.ofSeconds(1));
		this.metrics = b.metrics;
		this.heart = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread thread = new Thread(r, "rebound-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		this.register = b.register;
		this.registered = !b.register;
		this.heart.scheduleWithFixedDelay(this::beat, 0, b.heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
		current = this;
	}

	public static Builder builder() {
		return new Builder(System::getenv);
	}

	/** The client built last in this process, or {@code null}: what the bridges report through. */
	public static ReboundClient current() {
		return current;
	}

	public String agentId() {
		return this.agentId;
	}

	// --- reporting ----------------------------------------------------------------

	/**
	 * Reports an error. Never blocks and never throws: the event is queued and a
	 * background thread delivers it.
	 * @param type the error type, e.g. {@code connection_error}
	 * @param message what happened
	 * @param severity {@code critical}, {@code high}, {@code medium}, {@code low} or
	 * {@code info}
	 * @param context more about it (a traceback, a request…), or {@code null}
	 * @return {@code true} when it was queued, {@code false} when dropped (queue full)
	 */
	public boolean report(String type, String message, String severity, Map<String, ?> context) {
		try {
			return this.worker.offer(
					new Event.Captured(System.currentTimeMillis(), this.agentId, type, severity, message, copy(context)));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** Reports a throwable: its class as the type, {@code high} for connection and timeout errors. */
	public boolean report(Throwable error) {
		try {
			Map<String, Object> context = new LinkedHashMap<>();
			context.put("thread", Thread.currentThread().getName());
			context.put("traceback", stackTrace(error));
			return report(error.getClass().getSimpleName(), String.valueOf(error.getMessage()), severityOf(error),
					context);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** A callable that reports what the given one throws, then throws it on. */
	public <T> Callable<T> wrap(Callable<T> task) {
		return () -> {
			try {
				return task.call();
			}
			catch (Exception ex) {
				report(ex);
				throw ex;
			}
		};
	}

	/** A runnable that reports what the given one throws, then throws it on. */
	public Runnable wrap(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				report(ex);
				throw ex;
			}
		};
	}

	/** Waits until everything reported was delivered, at most {@code timeout}. */
	public boolean flush(Duration timeout) {
		return this.worker.flush(timeout);
	}

	/** What the client did so far: delivered, pending, dropped and rejected events. */
	public Map<String, Long> stats() {
		return Map.of("delivered", this.worker.delivered(), "pending", this.worker.pending(), "dropped_queue_full",
				this.worker.droppedQueueFull(), "dropped_spool_full", this.spool.dropped(), "rejected",
				this.worker.rejected());
	}

	/** The context as it is now: the caller may change its map afterwards. An immutable map is kept as it is. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> copy(Map<String, ?> context) {
		if (context == null) {
			return null;
		}
		try {
			return (Map<String, Object>) Map.copyOf(context);
		}
		catch (NullPointerException ex) {
			return new LinkedHashMap<>(context); // Map.copyOf takes no null keys or values
		}
	}

	static String severityOf(Throwable error) {
		return (error instanceof ConnectException || error instanceof SocketTimeoutException
				|| error instanceof TimeoutException || error instanceof java.net.http.HttpTimeoutException
				|| error instanceof java.net.NoRouteToHostException) ? "high" : "medium";
	}

	static String stackTrace(Throwable error) {
		StringWriter text = new StringWriter();
		error.printStackTrace(new PrintWriter(text));
		return text.toString();
	}

	// --- recovery calls -----------------------------------------------------------

	/**
	 * Registers the handler of a control verb ({@code retry}, {@code reload},
	 * {@code restart}, {@code scale}, {@code circuit-break}, {@code fallback},
	 * {@code take-over}…). A verb beyond the basic four is declared to Rebound (the
	 * registration's {@code verbs}, sent again at the next heartbeat): Rebound plans the
	 * strategies that need such a verb only for agents that handle it.
	 */
	public ReboundClient on(String verb, ControlHandler handler) {
		this.handlers.put(verb, handler);
		List<String> verbs = this.handlers.keySet().stream().filter((v) -> !BASIC_VERBS.contains(v)).sorted().toList();
		synchronized (this.registration) {
			if (!verbs.equals(this.registration.get("verbs"))) {
				this.registration.put("verbs", verbs);
				this.registrationVersion++;
				this.registered = !this.register;
			}
		}
		return this;
	}

	/** Where Rebound's control calls reach this agent, or {@code null} without an endpoint. */
	public String controlUrl() {
		return (String) this.registration.get("control_url");
	}

	/** Every control call dispatched so far. */
	public List<ControlCall> controlCalls() {
		return (this.control != null) ? List.copyOf(this.control.calls) : List.of();
	}

	// --- heartbeats ---------------------------------------------------------------

	/**
	 * Saves where a task stands (its state, progress, results so far, the steps done) as
	 * its next checkpoint version. Returns at once: the state is serialized now, sent by a
	 * thread of the client's (the newest state of a task replacing one not yet sent,
	 * retried while Rebound is away).
	 * @param task the task ({@code [A-Za-z0-9._:-]{1,128}})
	 * @param state a JSON object's worth of maps, lists, strings, numbers and booleans
	 * @return what Rebound stored
	 */
	public CompletableFuture<Checkpoints.Saved> saveCheckpoint(String task, Map<String, ?> state) {
		return this.checkpoints.save(task, state);
	}

	/**
	 * The task's newest checkpoint, its SHA-256 checked.
	 * @param task the task
	 * @return the checkpoint, or empty when there is none
	 * @throws Checkpoints.CorruptCheckpoint when the bytes read do not match their hash
	 */
	public Optional<Checkpoints.Checkpoint> loadCheckpoint(String task) {
		return this.checkpoints.load(task);
	}

	/**
	 * The task succeeded: its checkpoints are dropped.
	 * @param task the task
	 * @return when it was done
	 */
	public CompletableFuture<Checkpoints.Saved> completeTask(String task) {
		return this.checkpoints.complete(task);
	}

	/** A circuit breaker's state, carried in the next heartbeats. */
	public void breakerState(String name, String state) {
		this.breakers.put(name, state);
	}

	private Map<String, Object> heartbeat(String status) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("agent_id", this.agentId);
		body.put("status", status);
		if (this.metrics != null && !"stopping".equals(status)) {
			try {
				Map<String, Object> values = this.metrics.get();
				for (String field : List.of("status", "response_time_ms", "error_rate", "queue_depth", "cpu", "memory")) {
					if (values != null && values.get(field) != null) {
						body.put(field, values.get(field));
					}
				}
			}
			catch (RuntimeException ex) {
				log.log(Level.WARNING, "rebound-client: the metrics supplier failed", ex);
			}
		}
		if (!this.breakers.isEmpty()) {
			body.put("circuit_breakers", Map.copyOf(this.breakers));
		}
		return body;
	}

	private void beat() {
		if (!this.registered) {
			try {
				Map<String, Object> registration;
				int version;
				synchronized (this.registration) {
					registration = new LinkedHashMap<>(this.registration);
					version = this.registrationVersion;
				}
				this.transport.register(registration);
				synchronized (this.registration) {
					this.registered = version == this.registrationVersion;
				}
			}
			catch (IllegalArgumentException refused) {
				log.log(Level.ERROR, "rebound-client: " + refused.getMessage());
				this.registered = true;
			}
			catch (Transport.RetryLater retry) {
				log.log(Level.DEBUG, "rebound-client: registration failed for now: {0}", retry.getMessage());
			}
		}
		try {
			this.transport.sendHeartbeat(this.agentId, heartbeat("ok"));
		}
		catch (Transport.RetryLater | RuntimeException ex) {
			log.log(Level.DEBUG, "rebound-client: heartbeat failed: {0}", ex.getMessage());
		}
	}

	// --- the end --------------------------------------------------------------------

	/**
	 * Whether a feature of Rebound's feature map is on: {@code false} while an agent it
	 * needs is down or being recovered, {@code true} again once that recovery is verified.
	 * Never blocks: the first call starts a thread that reads {@code GET /api/degradation}
	 * every {@code degradationInterval} (default: the heartbeat interval, at least 1 s).
	 * Until its first answer, and for a feature not in the map, it is {@code true}: the
	 * agent keeps its normal path; while Rebound cannot be reached the last answer holds.
	 */
	public boolean isEnabled(String feature) {
		return this.features.isEnabled(feature);
	}

	/** The fleet's degradation level as last read ({@code full} … {@code emergency}), or {@code null}. */
	public String degradationLevel() {
		return this.features.level();
	}

	/**
	 * Hears every feature of the map go off or come back on, from the client's
	 * degradation thread.
	 */
	public ReboundClient onFeatureChange(FeatureListener listener) {
		this.features.onChange(listener);
		return this;
	}

	/**
	 * Says {@code stopping} (so leaving is not taken for a failure), delivers what is
	 * queued within five seconds (the rest waits in the spool for the next start) and
	 * stops.
	 */
	@Override
	public void close() {
		close(Duration.ofSeconds(5));
	}

	public void close(Duration timeout) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.heart.shutdownNow();
		this.features.close();
		this.checkpoints.close();
		this.worker.close(timeout);
		try {
			this.transport.sendHeartbeat(this.agentId, heartbeat("stopping"));
		}
		catch (Transport.RetryLater | RuntimeException ex) {
			log.log(Level.DEBUG, "rebound-client: the stopping heartbeat failed: {0}", ex.getMessage());
		}
		if (this.control != null) {
			this.control.close();
		}
		this.transport.close();
		if (current == this) {
			current = null;
		}
	}

	/** How the client is set up; every setting also comes from the environment. */
	public static final class Builder {

		private String agentId;

		private String url;

		private String key;

		private String transport;

		private String kafkaBootstrap;

		private String topicPrefix;

		private String kind;

		private List<String> dependsOn;

		private String criticality;

		private String policy;

		private String version;

		private Map<String, String> labels = Map.of();

		private String controlSecret;

		private int controlPort;

		private String controlHost;

		private String advertiseHost;

		private boolean control = true;

		private boolean advertiseHealth = true;

		private boolean register = true;

		private Duration heartbeatInterval = Duration.ofSeconds(5);

		private Duration degradationInterval;

		private Duration timeout = Duration.ofSeconds(10);

		private Duration maxSkew = Duration.ofMinutes(5);

		private Supplier<Map<String, Object>> metrics;

		private Supplier<Boolean> health;

		private Path spoolDir;

		private long spoolMaxBytes = 64L * 1024 * 1024;

		private int queueSize = 10_000;

		private Duration maxBackoff = Duration.ofSeconds(30);

		private Map<String, Object> kafkaSettings = Map.of();

		Builder(java.util.function.Function<String, String> env) {
			this.agentId = env.apply("REBOUND_AGENT_ID");
			this.url = or(env.apply("REBOUND_URL"), "http://localhost:8080");
			this.key = env.apply("REBOUND_KEY");
			this.transport = env.apply("REBOUND_TRANSPORT");
			this.kafkaBootstrap = env.apply("REBOUND_KAFKA_BOOTSTRAP");
			this.topicPrefix = or(env.apply("REBOUND_TOPIC_PREFIX"), "rebound");
			this.kind = or(env.apply("REBOUND_KIND"), "agent");
			String depends = env.apply("REBOUND_DEPENDS_ON");
			this.dependsOn = (depends == null || depends.isBlank()) ? List.of()
					: List.of(depends.strip().split("\\s*,\\s*"));
			this.criticality = or(env.apply("REBOUND_CRITICALITY"), "important");
			this.policy = or(env.apply("REBOUND_POLICY"), "default");
			this.version = env.apply("REBOUND_VERSION");
			this.controlSecret = env.apply("REBOUND_CONTROL_SECRET");
			this.controlPort = Integer.parseInt(or(env.apply("REBOUND_CONTROL_PORT"), "0"));
			this.controlHost = or(env.apply("REBOUND_CONTROL_HOST"), "0.0.0.0");
			this.advertiseHost = env.apply("REBOUND_ADVERTISE_HOST");
			this.maxBackoff = Duration.ofMillis((long) (Double.parseDouble(or(env.apply("REBOUND_MAX_BACKOFF"), "30")) * 1000));
			String spool = env.apply("REBOUND_SPOOL_DIR");
			this.spoolDir = (spool != null) ? Path.of(spool)
					: Path.of(System.getProperty("java.io.tmpdir"), "rebound-spool");
		}

		private static String or(String value, String otherwise) {
			return (value != null && !value.isBlank()) ? value : otherwise;
		}

		/** {@code kafka} when asked, or when a bootstrap is given and kafka-clients is there. */
		String transport() {
			if (this.transport != null) {
				return this.transport;
			}
			if (this.kafkaBootstrap == null) {
				return "http";
			}
			try {
				Class.forName("org.apache.kafka.clients.producer.KafkaProducer");
				return "kafka";
			}
			catch (ClassNotFoundException ex) {
				return "http";
			}
		}

		public Builder agentId(String agentId) {
			this.agentId = agentId;
			return this;
		}

		public Builder url(String url) {
			this.url = url;
			return this;
		}

		public Builder key(String key) {
			this.key = key;
			return this;
		}

		/** {@code http} or {@code kafka}. */
		public Builder transport(String transport) {
			if (!"http".equals(transport) && !"kafka".equals(transport)) {
				throw new IllegalArgumentException("transport must be 'http' or 'kafka', not '" + transport + "'");
			}
			this.transport = transport;
			return this;
		}

		public Builder kafkaBootstrap(String servers) {
			this.kafkaBootstrap = servers;
			return this;
		}

		/** Extra producer settings (SASL, TLS…). */
		public Builder kafkaSettings(Map<String, Object> settings) {
			this.kafkaSettings = Map.copyOf(settings);
			return this;
		}

		public Builder topicPrefix(String prefix) {
			this.topicPrefix = prefix;
			return this;
		}

		public Builder kind(String kind) {
			this.kind = kind;
			return this;
		}

		public Builder dependsOn(String... agents) {
			this.dependsOn = List.of(agents);
			return this;
		}

		public Builder criticality(String criticality) {
			this.criticality = criticality;
			return this;
		}

		public Builder policy(String policy) {
			this.policy = policy;
			return this;
		}

		public Builder version(String version) {
			this.version = version;
			return this;
		}

		public Builder labels(Map<String, String> labels) {
			this.labels = Map.copyOf(labels);
			return this;
		}

		/** The secret the control endpoint checks Rebound's signatures with. */
		public Builder controlSecret(String secret) {
			this.controlSecret = secret;
			return this;
		}

		/** The control endpoint's port (0: any free one). */
		public Builder controlPort(int port) {
			this.controlPort = port;
			return this;
		}

		/** The address the control endpoint listens on (default {@code 0.0.0.0}). */
		public Builder controlHost(String host) {
			this.controlHost = host;
			return this;
		}

		/** The host name Rebound reaches the control endpoint at (default: this host's name). */
		public Builder advertiseHost(String host) {
			this.advertiseHost = host;
			return this;
		}

		/** Whether to run a control endpoint at all. */
		public Builder control(boolean control) {
			this.control = control;
			return this;
		}

		/** Whether to register {@code /health} as the agent's {@code health_url}, to be probed. */
		public Builder advertiseHealth(boolean advertise) {
			this.advertiseHealth = advertise;
			return this;
		}

		public Builder register(boolean register) {
			this.register = register;
			return this;
		}

		/** How often the degradation is read once {@link ReboundClient#isEnabled} is first called. */
		public Builder degradationInterval(Duration interval) {
			this.degradationInterval = interval;
			return this;
		}

		public Builder heartbeatInterval(Duration interval) {
			this.heartbeatInterval = interval;
			return this;
		}

		/** How long one delivery may take. */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/** How far a control call's timestamp may be from this host's clock (default 5 min). */
		public Builder maxSkew(Duration skew) {
			this.maxSkew = skew;
			return this;
		}

		/** The heartbeat's metrics: {@code response_time_ms}, {@code error_rate}, {@code queue_depth}, {@code cpu}, {@code memory}. */
		public Builder metrics(Supplier<Map<String, Object>> metrics) {
			this.metrics = metrics;
			return this;
		}

		/** What {@code GET /health} answers: {@code true} is 200, otherwise 503. */
		public Builder health(Supplier<Boolean> health) {
			this.health = health;
			return this;
		}

		public Builder spoolDir(Path directory) {
			this.spoolDir = directory;
			return this;
		}

		public Builder spoolMaxBytes(long bytes) {
			this.spoolMaxBytes = bytes;
			return this;
		}

		/** The longest pause between delivery attempts while Rebound is away (default 30 s). */
		public Builder maxBackoff(Duration pause) {
			this.maxBackoff = pause;
			return this;
		}

		public Builder queueSize(int size) {
			this.queueSize = size;
			return this;
		}

		public ReboundClient build() {
			try {
				return new ReboundClient(this);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot start the control endpoint", ex);
			}
		}

	}

}
