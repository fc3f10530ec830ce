package io.rebound.agents;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.rebound.agents.AgentStore.ProbeTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Probes agents that registered a {@code health_url}: each probe is its own asynchronous
 * request with its own deadline, so one hanging agent delays nobody else. Agents are
 * claimed in PostgreSQL before they are probed, so replicas share the probing.
 */
@Component
class HealthProber implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(HealthProber.class);

	private final AgentStore store;

	private final HealthTracker tracker;

	private final AgentsProperties.Probe settings;

	private final Clock clock;

	private final HttpClient http;

	HealthProber(AgentStore store, HealthTracker tracker, AgentsProperties properties, Clock clock) {
		this.store = store;
		this.tracker = tracker;
		this.settings = properties.probe();
		this.clock = clock;
		this.http = HttpClient.newBuilder()
			.connectTimeout(this.settings.timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	@Scheduled(fixedDelayString = AgentsProperties.BEAN + ".sweepInterval().toMillis()}")
	void probeDue() {
		try {
			List<ProbeTarget> due = this.store.claimProbes(this.clock.instant(), this.settings.interval(), 1000);
			if (!due.isEmpty()) {
				this.tracker.probes(probe(due));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Probing agents failed; trying again at the next interval: {}", ex.toString());
		}
	}

	List<ProbeResult> probe(List<ProbeTarget> targets) {
		Semaphore permits = new Semaphore(this.settings.concurrency());
		List<CompletableFuture<ProbeResult>> probes = new ArrayList<>(targets.size());
		for (ProbeTarget target : targets) {
			permits.acquireUninterruptibly();
			probes.add(probe(target).whenComplete((result, ex) -> permits.release()));
		}
		return probes.stream().map(CompletableFuture::join).toList();
	}

	private CompletableFuture<ProbeResult> probe(ProbeTarget target) {
		Instant at = this.clock.instant();
		long started = System.nanoTime();
		HttpRequest request;
		try {
			request = HttpRequest.newBuilder(URI.create(target.healthUrl()))
				.timeout(this.settings.timeout())
				.GET()
				.build();
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.completedFuture(new ProbeResult(target.id(), at, false, null, "bad URL"));
		}
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
			.orTimeout(this.settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
			.handle((response, ex) -> {
				double millis = (System.nanoTime() - started) / 1e6;
				if (ex != null) {
					Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
					String error = (cause instanceof TimeoutException
							|| cause instanceof java.net.http.HttpTimeoutException)
									? "no answer within " + this.settings.timeout().toMillis() + " ms"
									: cause.getClass().getSimpleName()
											+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
					return new ProbeResult(target.id(), at, false, null, error);
				}
				boolean ok = response.statusCode() / 100 == 2;
				return new ProbeResult(target.id(), at, ok, millis, ok ? null : "HTTP " + response.statusCode());
			});
	}

	@Override
	public void close() {
		this.http.close();
	}

}
