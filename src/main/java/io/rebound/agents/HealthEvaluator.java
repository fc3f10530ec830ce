package io.rebound.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.rebound.agents.AgentHealthChanged.Cause;

/**
 * The health state machine, as pure functions of an agent's health and what happened: a
 * heartbeat arrived, or time passed. Heartbeats set the state from what they report (a
 * bad one at once; a good one only after enough good ones in a row); silence escalates
 * one missed interval at a time, never de-escalates.
 */
final class HealthEvaluator {

	/**
	 * The outcome of one step.
	 *
	 * @param health the agent's health after it
	 * @param cause why the state changed, or {@code null} when it did not
	 * @param reason for a person, or {@code null}
	 */
	record Step(AgentHealth health, Cause cause, String reason) {

		boolean changed(AgentHealth before) {
			return this.health.state() != before.state();
		}

	}

	private final AgentsProperties.Heartbeat settings;

	HealthEvaluator(AgentsProperties.Heartbeat settings) {
		this.settings = settings;
	}

	Step heartbeat(AgentHealth health, Heartbeat beat) {
		return heartbeat(health, beat, this.settings.resources());
	}

	/**
	 * A heartbeat, judged against these resource limits (the agent's kind's and tier's).
	 */
	Step heartbeat(AgentHealth health, Heartbeat beat, AgentsProperties.Resources limits) {
		Long interval = learnInterval(health, beat.at());
		List<Double> recent = recentResponses(health.recentResponseMs(), beat.responseTimeMs());
		if (beat.stopping()) {
			return change(health, HealthState.STOPPED, beat.at(), beat.at(), interval, 0, recent, Cause.STOPPING,
					"the agent said it is stopping");
		}
		Assessment assessment = assess(beat, recent, limits);
		if (assessment.state() != HealthState.HEALTHY) {
			return change(health, assessment.state(), beat.at(), beat.at(), interval, 0, recent,
					Cause.DEGRADED_PERFORMANCE, assessment.reason());
		}
		int streak = health.goodStreak() + 1;
		boolean trusted = health.state().badness() == 0 || streak >= this.settings.recoveryThreshold();
		HealthState next = trusted ? HealthState.HEALTHY : health.state();
		String reason = (health.state() == HealthState.UNKNOWN || health.state() == HealthState.STOPPED)
				? "first heartbeat" : streak + " good heartbeats in a row";
		return change(health, next, beat.at(), beat.at(), interval, streak, recent, Cause.RECOVERED, reason);
	}

	Step tick(AgentHealth health, Instant now) {
		if (!health.state().isWatched() || health.lastHeartbeat() == null) {
			return new Step(health, null, null);
		}
		long interval = intervalOf(health);
		long late = Duration.between(health.lastHeartbeat(), now).toMillis() - tolerance(interval);
		int missed = (int) Math.max(0, late / interval);
		if (missed <= health.missed()) {
			return new Step(health, null, null);
		}
		HealthState bySilence = escalation(missed);
		HealthState next = (bySilence.badness() > health.state().badness()) ? bySilence : health.state();
		String reason = "no heartbeat for " + Duration.between(health.lastHeartbeat(), now).toSeconds() + " s ("
				+ missed + " missed at an interval of " + interval + " ms)";
		return change(health, next, health.lastHeartbeat(), now, health.intervalMs(), 0, health.recentResponseMs(),
				Cause.HEARTBEAT_TIMEOUT, reason, missed);
	}

	long toleranceMs() {
		return this.settings.tolerance().toMillis();
	}

	long defaultIntervalMs() {
		return this.settings.period().toMillis();
	}

	/** When the agent counts as failed if no heartbeat comes. */
	Instant failsAt(AgentHealth health) {
		long interval = intervalOf(health);
		return health.lastHeartbeat().plusMillis(interval * this.settings.failureThreshold() + tolerance(interval));
	}

	private long tolerance(long interval) {
		return Math.min(this.settings.tolerance().toMillis(), interval / 2);
	}

	private long intervalOf(AgentHealth health) {
		return (health.intervalMs() != null) ? health.intervalMs() : this.settings.period().toMillis();
	}

	/** A moving average of the observed intervals, within floor and ceiling. */
	private Long learnInterval(AgentHealth health, Instant at) {
		if (health.lastHeartbeat() == null || health.state() == HealthState.STOPPED) {
			return health.intervalMs();
		}
		long observed = Duration.between(health.lastHeartbeat(), at).toMillis();
		if (observed <= 0) {
			return health.intervalMs();
		}
		long smoothed = (health.intervalMs() == null) ? observed
				: Math.round(0.8 * health.intervalMs() + 0.2 * observed);
		return Math.clamp(smoothed, this.settings.floor().toMillis(), this.settings.ceiling().toMillis());
	}

	private List<Double> recentResponses(List<Double> recent, Double responseTime) {
		if (responseTime == null) {
			return recent;
		}
		List<Double> next = new ArrayList<>(recent);
		next.add(responseTime);
		while (next.size() > this.settings.trendWindow()) {
			next.remove(0);
		}
		return List.copyOf(next);
	}

	private record Assessment(HealthState state, String reason) {
	}

	private Assessment assess(Heartbeat beat, List<Double> recent, AgentsProperties.Resources limits) {
		if (beat.errorRate() != null && beat.errorRate() >= this.settings.errorRateCritical()) {
			return new Assessment(HealthState.CRITICAL, "error rate " + beat.errorRate());
		}
		String critical = over("cpu", beat.cpu(), limits.cpuCritical())
			.or(() -> over("memory", beat.memory(), limits.memoryCritical()))
			.or(() -> over("queue depth", beat.queueDepth(), limits.queueDepthCritical()))
			.orElse(null);
		if (critical != null) {
			return new Assessment(HealthState.CRITICAL, critical);
		}
		if (beat.saysDegraded()) {
			return new Assessment(HealthState.DEGRADED, "the agent reports itself degraded");
		}
		if (beat.errorRate() != null && beat.errorRate() >= this.settings.errorRateDegraded()) {
			return new Assessment(HealthState.DEGRADED, "error rate " + beat.errorRate());
		}
		if (beat.responseTimeMs() != null && beat.responseTimeMs() >= this.settings.responseTime().toMillis()) {
			return new Assessment(HealthState.DEGRADED, "response time " + beat.responseTimeMs() + " ms");
		}
		String degraded = over("cpu", beat.cpu(), limits.cpuDegraded())
			.or(() -> over("memory", beat.memory(), limits.memoryDegraded()))
			.or(() -> over("queue depth", beat.queueDepth(), limits.queueDepthDegraded()))
			.orElse(null);
		if (degraded != null) {
			return new Assessment(HealthState.DEGRADED, degraded);
		}
		double slope = slope(recent);
		if (recent.size() >= this.settings.trendWindow() && slope >= this.settings.trendSlope().toMillis()) {
			return new Assessment(HealthState.DEGRADED, "response time rising by " + Math.round(slope)
					+ " ms per heartbeat over the last " + recent.size());
		}
		return new Assessment(HealthState.HEALTHY, null);
	}

	private static java.util.Optional<String> over(String what, Double value, Double limit) {
		return (value != null && limit != null && value >= limit)
				? java.util.Optional.of(what + " " + value + " (limit " + limit + ")") : java.util.Optional.empty();
	}

	/** Least-squares slope of the values against their index. */
	static double slope(List<Double> values) {
		int n = values.size();
		if (n < 2) {
			return 0;
		}
		double meanX = (n - 1) / 2.0;
		double meanY = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
		double covariance = 0;
		double variance = 0;
		for (int i = 0; i < n; i++) {
			covariance += (i - meanX) * (values.get(i) - meanY);
			variance += (i - meanX) * (i - meanX);
		}
		return covariance / variance;
	}

	private Step change(AgentHealth health, HealthState next, Instant lastHeartbeat, Instant now, Long interval,
			int streak, List<Double> recent, Cause cause, String reason) {
		return change(health, next, lastHeartbeat, now, interval, streak, recent, cause, reason, 0);
	}

	private Step change(AgentHealth health, HealthState next, Instant lastHeartbeat, Instant now, Long interval,
			int streak, List<Double> recent, Cause cause, String reason, int missed) {
		return change(health, new AgentHealth(next, health.since(), lastHeartbeat, interval, streak, missed, recent,
				health.probeFailures()), now, cause, reason);
	}

	private static Step change(AgentHealth health, AgentHealth next, Instant now, Cause cause, String reason) {
		boolean changed = next.state() != health.state();
		AgentHealth after = changed ? new AgentHealth(next.state(), now, next.lastHeartbeat(), next.intervalMs(),
				next.goodStreak(), next.missed(), next.recentResponseMs(), next.probeFailures()) : next;
		return changed ? new Step(after, cause, reason) : new Step(after, null, null);
	}

	/**
	 * A health probe's outcome. A good answer counts like a good heartbeat (without
	 * teaching the interval); bad answers in a row escalate like missed heartbeats.
	 */
	Step probe(AgentHealth health, ProbeResult probe) {
		if (health.state() == HealthState.STOPPED) {
			return new Step(health, null, null);
		}
		if (probe.ok()) {
			int streak = health.goodStreak() + 1;
			boolean trusted = health.state().badness() == 0 || streak >= this.settings.recoveryThreshold();
			HealthState next = trusted ? HealthState.HEALTHY : health.state();
			return change(health,
					new AgentHealth(next, health.since(), health.lastHeartbeat(), health.intervalMs(), streak,
							health.missed(), health.recentResponseMs(), 0),
					probe.at(), Cause.RECOVERED, "health probe answered (" + streak + " good in a row)");
		}
		int failures = health.probeFailures() + 1;
		HealthState byFailures = escalation(failures);
		HealthState next = (byFailures.badness() > health.state().badness()) ? byFailures : health.state();
		return change(health,
				new AgentHealth(next, health.since(), health.lastHeartbeat(), health.intervalMs(), 0, health.missed(),
						health.recentResponseMs(), failures),
				probe.at(), Cause.PROBE_FAILED,
				"health probe failed " + failures + " time(s) in a row: " + probe.error());
	}

	/**
	 * The state that {@code count} missed heartbeats or failed probes in a row call for.
	 */
	private HealthState escalation(int count) {
		int threshold = this.settings.failureThreshold();
		if (count >= threshold) {
			return HealthState.FAILED;
		}
		return (count >= threshold - 1 && count >= 2) ? HealthState.CRITICAL : HealthState.DEGRADED;
	}

}
