package io.rebound.client;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Graceful degradation on the agent's side: which features of Rebound's feature map are
 * off, read from {@code GET /api/degradation} every {@code interval} by a thread of its
 * own once first asked. A feature is enabled unless Rebound's last answer said it is off:
 * before the first answer and for a name not in the map the agent keeps its normal path;
 * while Rebound cannot be reached the last answer holds.
 */
final class Features implements AutoCloseable {

	private static final Logger log = System.getLogger("io.rebound.client");

	private final HttpTransport http;

	private final Duration interval;

	private final List<FeatureListener> listeners = new CopyOnWriteArrayList<>();

	private volatile Map<String, List<String>> off = Map.of();

	private volatile String level;

	private ScheduledExecutorService poller;

	private boolean closed;

	Features(HttpTransport http, Duration interval) {
		this.http = http;
		this.interval = interval;
	}

	boolean isEnabled(String feature) {
		start();
		return !this.off.containsKey(feature);
	}

	String level() {
		start();
		return this.level;
	}

	void onChange(FeatureListener listener) {
		this.listeners.add(listener);
		start();
	}

	private synchronized void start() {
		if (this.poller != null || this.closed) {
			return;
		}
		this.poller = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread thread = new Thread(r, "rebound-degradation");
			thread.setDaemon(true);
			return thread;
		});
		this.poller.scheduleWithFixedDelay(() -> {
			try {
				poll();
			}
			catch (Transport.RetryLater | RuntimeException ex) {
				log.log(Level.DEBUG, "rebound-client: reading the degradation failed: {0}", ex.getMessage());
			}
		}, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Reads the degradation once and tells the listeners what changed. */
	@SuppressWarnings("unchecked")
	void poll() throws Transport.RetryLater {
		Object answer = Json.read(this.http.get("/api/degradation"));
		if (!(answer instanceof Map<?, ?> body)) {
			throw new IllegalStateException("GET /api/degradation: not a JSON object");
		}
		Map<String, List<String>> now = new TreeMap<>();
		Object features = body.get("features");
		if (features instanceof List<?> list) {
			for (Object item : list) {
				if (item instanceof Map<?, ?> feature && Boolean.FALSE.equals(feature.get("enabled"))) {
					List<String> why = new ArrayList<>();
					if (feature.get("why") instanceof List<?> reasons) {
						reasons.forEach((r) -> why.add(String.valueOf(r)));
					}
					now.put(String.valueOf(feature.get("name")), List.copyOf(why));
				}
			}
		}
		Map<String, List<String>> before = this.off;
		this.off = Map.copyOf(now);
		this.level = (body.get("level") != null) ? String.valueOf(body.get("level")) : null;
		TreeMap<String, Boolean> changed = new TreeMap<>();
		now.keySet().stream().filter((f) -> !before.containsKey(f)).forEach((f) -> changed.put(f, false));
		before.keySet().stream().filter((f) -> !now.containsKey(f)).forEach((f) -> changed.put(f, true));
		changed.forEach((feature, enabled) -> {
			for (FeatureListener listener : this.listeners) {
				try {
					listener.changed(feature, enabled, enabled ? List.of() : now.get(feature));
				}
				catch (RuntimeException ex) {
					log.log(Level.WARNING, "rebound-client: a feature listener failed", ex);
				}
			}
		});
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.poller != null) {
			this.poller.shutdownNow();
		}
	}

}
