package io.rebound.agents;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rebound.agents.HealthEvaluator.Step;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies heartbeats and the passing of time to agents' health, in transactions that lock
 * the agents' rows, stores every transition and publishes it as
 * {@link AgentHealthChanged}.
 */
@Component
class HealthTracker {

	private final AgentStore store;

	private final HealthEvaluator evaluator;

	private final ApplicationEventPublisher events;

	private final JsonMapper json;

	private final Clock clock;

	private final Counter heartbeats;

	private final AgentsProperties.Heartbeat settings;

	private final Counter probesOk;

	private final Counter probesFailed;

	private final MetricWatch watch;

	HealthTracker(AgentStore store, AgentsProperties properties, ApplicationEventPublisher events, JsonMapper json,
			Clock clock, MeterRegistry meters, MetricWatch watch) {
		this.store = store;
		this.watch = watch;
		this.evaluator = new HealthEvaluator(properties.heartbeat());
		this.settings = properties.heartbeat();
		this.events = events;
		this.json = json;
		this.clock = clock;
		this.heartbeats = Counter.builder("rebound.agents.heartbeats")
			.description("Heartbeats applied to agents' health")
			.register(meters);
		this.probesOk = Counter.builder("rebound.agents.probes")
			.description("Health probes by outcome")
			.tag("outcome", "ok")
			.register(meters);
		this.probesFailed = Counter.builder("rebound.agents.probes")
			.description("Health probes by outcome")
			.tag("outcome", "failed")
			.register(meters);
	}

	/**
	 * Heartbeats in the order they were sent; agents not registered yet are registered.
	 */
	@Transactional
	void heartbeats(List<Heartbeat> beats) {
		TreeSet<String> ids = new TreeSet<>();
		beats.forEach((beat) -> ids.add(beat.agentId()));
		this.store.registerUnknown(ids, "heartbeat");
		Map<String, AgentHealth> health = this.store.lockHealth(ids);
		Map<String, String[]> kinds = (this.settings.kinds().isEmpty() && this.settings.policies().isEmpty()) ? Map.of()
				: this.store.kindsAndPolicies(ids);
		List<MetricWatch.Observed> observed = new java.util.ArrayList<>(beats.size());
		for (Heartbeat beat : beats.stream().sorted(Comparator.comparing(Heartbeat::at)).toList()) {
			AgentHealth before = health.get(beat.agentId());
			if (before.lastHeartbeat() != null && beat.at().isBefore(before.lastHeartbeat())) {
				continue; // a replayed or reordered heartbeat says nothing new
			}
			this.heartbeats.increment();
			String[] kind = kinds.get(beat.agentId());
			AgentsProperties.Resources limits = (kind != null) ? this.settings.resourcesFor(kind[0], kind[1])
					: this.settings.resources();
			Step step = this.evaluator.heartbeat(before, beat, limits);
			observed.add(new MetricWatch.Observed(beat, limits));
			this.store.saveHealth(beat.agentId(), step.health(), step.reason(), metricsJson(beat));
			transition(beat.agentId(), before, step);
			health.put(beat.agentId(), step.health());
		}
		this.watch.observe(observed);
	}

	/**
	 * Escalates agents whose heartbeats stopped.
	 * @return how many agents were looked at
	 */
	@Transactional
	int sweep(int limit) {
		Instant now = this.clock.instant();
		Map<String, AgentHealth> overdue = this.store.lockOverdue(now, this.evaluator.defaultIntervalMs(),
				this.evaluator.toleranceMs(), limit);
		overdue.forEach((id, before) -> {
			Step step = this.evaluator.tick(before, now);
			if (!step.health().equals(before)) {
				this.store.saveHealth(id, step.health(), step.reason(), null);
				transition(id, before, step);
			}
		});
		return overdue.size();
	}

	/** Applies probe outcomes. */
	@Transactional
	void probes(List<ProbeResult> probes) {
		TreeSet<String> ids = new TreeSet<>();
		probes.forEach((probe) -> ids.add(probe.agentId()));
		Map<String, AgentHealth> health = this.store.lockHealth(ids);
		for (ProbeResult probe : probes) {
			AgentHealth before = health.get(probe.agentId());
			if (before == null) {
				continue; // deleted meanwhile
			}
			(probe.ok() ? this.probesOk : this.probesFailed).increment();
			Step step = this.evaluator.probe(before, probe);
			this.store.saveProbe(probe);
			if (!step.health().equals(before)) {
				this.store.saveHealth(probe.agentId(), step.health(), step.reason(), null);
				transition(probe.agentId(), before, step);
			}
			health.put(probe.agentId(), step.health());
		}
	}

	private void transition(String id, AgentHealth before, Step step) {
		if (step.changed(before)) {
			Instant at = step.health().since();
			long transitionId = this.store.recordTransition(id, before.state(), step.health().state(), step.cause(),
					step.reason(), at);
			this.events.publishEvent(new AgentHealthChanged(transitionId, id, before.state(), step.health().state(),
					step.cause(), step.reason(), at));
		}
	}

	private String metricsJson(Heartbeat beat) {
		return this.json.writeValueAsString(new Metrics(beat.responseTimeMs(), beat.errorRate(), beat.queueDepth(),
				beat.cpu(), beat.memory(), beat.status(), beat.breakers().isEmpty() ? null : beat.breakers()));
	}

	private record Metrics(Double responseTimeMs, Double errorRate, Double queueDepth, Double cpu, Double memory,
			String status, java.util.Map<String, String> circuitBreakers) {
	}

}
