package io.rebound.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.rebound.Settings;
import io.rebound.agents.AgentHealthChanged.Cause;
import io.rebound.agents.HealthEvaluator.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HealthEvaluatorTests {

	private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

	private final AgentsProperties.Heartbeat settings = Settings.bind("rebound.agents", AgentsProperties.class)
		.heartbeat();

	private final HealthEvaluator evaluator = new HealthEvaluator(this.settings);

	@Test
	void theFirstHeartbeatMakesAnAgentHealthy() {
		Step step = this.evaluator.heartbeat(AgentHealth.fresh(T0), beat(T0));

		assertThat(step.health().state()).isEqualTo(HealthState.HEALTHY);
		assertThat(step.cause()).isEqualTo(Cause.RECOVERED);
	}

	@Test
	void silenceEscalatesOneMissedIntervalAtATimeToFailed() {
		AgentHealth health = beats(5, Duration.ofSeconds(5));
		Instant last = health.lastHeartbeat();

		assertThat(this.evaluator.tick(health, last.plusMillis(5_900)).health().state()).isEqualTo(HealthState.HEALTHY);
		Step one = this.evaluator.tick(health, last.plusMillis(6_100));
		assertThat(one.health().state()).isEqualTo(HealthState.DEGRADED);
		Step two = this.evaluator.tick(one.health(), last.plusMillis(11_100));
		assertThat(two.health().state()).isEqualTo(HealthState.CRITICAL);
		Step three = this.evaluator.tick(two.health(), last.plusMillis(16_100));
		assertThat(three.health().state()).isEqualTo(HealthState.FAILED);
		assertThat(three.cause()).isEqualTo(Cause.HEARTBEAT_TIMEOUT);
		assertThat(this.evaluator.failsAt(health)).isEqualTo(last.plusMillis(16_000));
	}

	@Test
	void theIntervalIsLearnedFromTheAgentWithinFloorAndCeiling() {
		assertThat(beats(10, Duration.ofSeconds(5)).intervalMs()).isEqualTo(5_000);
		assertThat(beats(10, Duration.ofMillis(200)).intervalMs()).isEqualTo(1_000);
		assertThat(beats(3, Duration.ofMinutes(20)).intervalMs()).isEqualTo(300_000);
	}

	@Test
	void theLearnedIntervalFollowsAnAgentThatSlowsItsHeartbeat() {
		AgentHealth health = beats(10, Duration.ofSeconds(2));
		Instant at = health.lastHeartbeat();
		for (int i = 0; i < 20; i++) {
			at = at.plusSeconds(8);
			health = this.evaluator.heartbeat(health, beat(at)).health();
		}
		assertThat(health.intervalMs()).isBetween(7_500L, 8_000L);
	}

	@Test
	void aTroubledAgentIsHealthyOnlyAfterEnoughGoodHeartbeats() {
		AgentHealth health = beats(3, Duration.ofSeconds(5));
		Instant at = health.lastHeartbeat().plusSeconds(5);
		health = this.evaluator.heartbeat(health, new Heartbeat("a", at, "degraded", null, null, null, null, null))
			.health();
		assertThat(health.state()).isEqualTo(HealthState.DEGRADED);

		health = this.evaluator.heartbeat(health, beat(at = at.plusSeconds(5))).health();
		health = this.evaluator.heartbeat(health, beat(at = at.plusSeconds(5))).health();
		assertThat(health.state()).isEqualTo(HealthState.DEGRADED);
		Step third = this.evaluator.heartbeat(health, beat(at.plusSeconds(5)));
		assertThat(third.health().state()).isEqualTo(HealthState.HEALTHY);
		assertThat(third.reason()).contains("3 good heartbeats");
	}

	@Test
	void errorRateAndResponseTimeDegradeOrMakeCritical() {
		AgentHealth health = beats(3, Duration.ofSeconds(5));
		Instant at = health.lastHeartbeat().plusSeconds(5);

		assertThat(this.evaluator.heartbeat(health, new Heartbeat("a", at, null, null, 0.2, null, null, null))
			.health()
			.state()).isEqualTo(HealthState.DEGRADED);
		assertThat(this.evaluator.heartbeat(health, new Heartbeat("a", at, null, null, 0.7, null, null, null))
			.health()
			.state()).isEqualTo(HealthState.CRITICAL);
		Step slow = this.evaluator.heartbeat(health, new Heartbeat("a", at, "ok", 2500.0, null, null, null, null));
		assertThat(slow.health().state()).isEqualTo(HealthState.DEGRADED);
		assertThat(slow.cause()).isEqualTo(Cause.DEGRADED_PERFORMANCE);
	}

	@Test
	void aRisingResponseTimeTrendDegradesBeforeAnyThresholdIsCrossed() {
		AgentHealth health = beats(3, Duration.ofSeconds(5));
		Instant at = health.lastHeartbeat();
		Step step = null;
		for (int i = 0; i < 10; i++) {
			at = at.plusSeconds(5);
			step = this.evaluator.heartbeat(health,
					new Heartbeat("a", at, null, 100.0 + 80 * i, null, null, null, null));
			health = step.health();
		}
		assertThat(health.state()).isEqualTo(HealthState.DEGRADED);
		assertThat(step.reason()).contains("rising");
		assertThat(HealthEvaluator.slope(List.of(1.0, 2.0, 3.0))).isEqualTo(1.0);
	}

	@Test
	void anAgentThatSaysItIsStoppingIsNeverFailedBySilence() {
		AgentHealth health = beats(3, Duration.ofSeconds(5));
		Instant at = health.lastHeartbeat().plusSeconds(5);
		Step stopping = this.evaluator.heartbeat(health,
				new Heartbeat("a", at, "stopping", null, null, null, null, null));

		assertThat(stopping.health().state()).isEqualTo(HealthState.STOPPED);
		assertThat(this.evaluator.tick(stopping.health(), at.plus(Duration.ofHours(1))).health().state())
			.isEqualTo(HealthState.STOPPED);
		assertThat(this.evaluator.heartbeat(stopping.health(), beat(at.plus(Duration.ofHours(2)))).health().state())
			.isEqualTo(HealthState.HEALTHY);
	}

	@Test
	void failedProbesEscalateAndAGoodAnswerCountsTowardsRecovery() {
		AgentHealth health = AgentHealth.fresh(T0);
		Step ok = this.evaluator.probe(health, new ProbeResult("a", T0, true, 12.0, null));
		assertThat(ok.health().state()).isEqualTo(HealthState.HEALTHY);

		health = ok.health();
		List<HealthState> states = new java.util.ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			Step failed = this.evaluator.probe(health,
					new ProbeResult("a", T0.plusSeconds(10 * i), false, null, "HTTP 500"));
			health = failed.health();
			states.add(health.state());
		}
		assertThat(states).containsExactly(HealthState.DEGRADED, HealthState.CRITICAL, HealthState.FAILED);
		assertThat(health.probeFailures()).isEqualTo(3);

		for (int i = 0; i < 3; i++) {
			health = this.evaluator.probe(health, new ProbeResult("a", T0.plusSeconds(100 + i), true, 5.0, null))
				.health();
		}
		assertThat(health.state()).isEqualTo(HealthState.HEALTHY);
		assertThat(health.probeFailures()).isZero();
	}

	private AgentHealth beats(int count, Duration every) {
		AgentHealth health = AgentHealth.fresh(T0);
		Instant at = T0;
		for (int i = 0; i < count; i++) {
			health = this.evaluator.heartbeat(health, beat(at)).health();
			at = at.plus(every);
		}
		return health;
	}

	@Test
	void memoryIsJudgedByDefaultCpuAndQueueDepthOnlyWhereLimitsAreSet() {
		AgentHealth health = this.evaluator.heartbeat(AgentHealth.fresh(T0), beat(T0)).health();
		Instant at = T0.plusSeconds(1);

		Step busy = this.evaluator.heartbeat(health, new Heartbeat("a", at, "ok", null, null, 5000.0, 0.99, 0.5));
		assertThat(busy.health().state()).as("a busy worker is not a sick one").isEqualTo(HealthState.HEALTHY);
		Step full = this.evaluator.heartbeat(health, new Heartbeat("a", at, "ok", null, null, null, null, 0.93));
		assertThat(full.health().state()).isEqualTo(HealthState.DEGRADED);
		assertThat(full.reason()).isEqualTo("memory 0.93 (limit 0.9)");
		assertThat(this.evaluator.heartbeat(health, new Heartbeat("a", at, "ok", null, null, null, null, 0.99))
			.health()
			.state()).isEqualTo(HealthState.CRITICAL);

		AgentsProperties.Resources queues = this.settings.resourcesFor("queue-worker", null)
			.over(new AgentsProperties.Resources(0.9, null, null, null, 1000.0, 10_000.0));
		assertThat(this.evaluator.heartbeat(health, new Heartbeat("a", at, "ok", null, null, 1500.0, 0.5, 0.5), queues)
			.reason()).isEqualTo("queue depth 1500.0 (limit 1000.0)");
		assertThat(
				this.evaluator.heartbeat(health, new Heartbeat("a", at, "ok", null, null, 20_000.0, 0.5, 0.5), queues)
					.health()
					.state())
			.isEqualTo(HealthState.CRITICAL);
		assertThat(this.evaluator.heartbeat(health, new Heartbeat("a", at, "ok", null, null, null, 0.95, 0.5), queues)
			.reason()).isEqualTo("cpu 0.95 (limit 0.9)");
	}

	@Test
	void aTiersLimitsWinOverItsKindsWhichWinOverTheGlobalOnes() {
		AgentsProperties.Heartbeat settings = Settings
			.bind("rebound.agents", AgentsProperties.class, "heartbeat.resources.cpu-degraded=0.95",
					"heartbeat.kinds.trainer.cpu-degraded=0.99", "heartbeat.kinds.trainer.memory-degraded=0.8",
					"heartbeat.policies.critical.memory-degraded=0.7", "heartbeat.policies.critical.memory-critical=2")
			.heartbeat();

		assertThat(settings.resourcesFor(null, null))
			.isEqualTo(new AgentsProperties.Resources(0.95, null, 0.9, 0.98, null, null));
		assertThat(settings.resourcesFor("trainer", "default"))
			.isEqualTo(new AgentsProperties.Resources(0.99, null, 0.8, 0.98, null, null));
		assertThat(settings.resourcesFor("trainer", "critical"))
			.as("a limit above anything reported turns a built-in one off")
			.isEqualTo(new AgentsProperties.Resources(0.99, null, 0.7, 2.0, null, null));
	}

	private static Heartbeat beat(Instant at) {
		return new Heartbeat("a", at, null, null, null, null, null, null);
	}

}
