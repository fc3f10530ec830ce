package io.rebound.recovery;

import java.time.Instant;
import java.util.Map;

import io.rebound.Settings;
import io.rebound.agents.AgentGraph.Signals;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Choice by symptom: which strategy an agent's newest heartbeat calls for, and why. */
class SymptomsTests {

	private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

	private final Policy.Symptoms defaults = Policy.DEFAULTS.symptoms();

	@Test
	void theSeedsMatrixIsBuiltIn() {
		assertThat(this.defaults.choose(signals(null, 0.62, null, null), null, NOW)).hasValueSatisfying((chosen) -> {
			assertThat(chosen.getKey()).isEqualTo("circuit-break");
			assertThat(chosen.getValue()).isEqualTo("error rate 0.62 >= 0.5");
		});
		assertThat(this.defaults.choose(signals(2400.0, null, null, null), null, NOW))
			.hasValueSatisfying((chosen) -> assertThat(chosen.getKey()).isEqualTo("scale-up"));
		assertThat(this.defaults.choose(signals(null, null, 0.97, null), null, NOW))
			.hasValueSatisfying((chosen) -> assertThat(chosen.getValue()).startsWith("resource exhaustion: memory"));
		assertThat(this.defaults.choose(signals(null, null, null, 0.99), null, NOW))
			.hasValueSatisfying((chosen) -> assertThat(chosen.getKey()).isEqualTo("restart-more-resources,restart"));
	}

	@Test
	void exhaustionComesBeforeTheErrorRateAndTheErrorRateBeforeLatency() {
		assertThat(this.defaults.choose(signals(5000.0, 0.9, 0.99, null), null, NOW).orElseThrow().getKey())
			.isEqualTo("restart-more-resources,restart");
		assertThat(this.defaults.choose(signals(5000.0, 0.9, 0.5, null), null, NOW).orElseThrow().getKey())
			.isEqualTo("circuit-break");
	}

	@Test
	void aFailureRightAfterARolloutIsMetWithARollbackBeforeAnythingElse() {
		assertThat(this.defaults.choose(signals(5000.0, 0.9, 0.99, null), NOW.minusSeconds(90), NOW))
			.hasValueSatisfying((chosen) -> {
				assertThat(chosen.getKey()).isEqualTo("rollback");
				assertThat(chosen.getValue()).isEqualTo("a rollout 90 s before (its version changed)");
			});
		assertThat(this.defaults.choose(signals(null, null, null, null), NOW.minusSeconds(601), NOW)).isEmpty();
	}

	@Test
	void belowEveryBoundOrWithoutSignalsNothingIsChosen() {
		assertThat(this.defaults.choose(signals(1999.0, 0.49, 0.94, 0.94), null, NOW)).isEmpty();
		assertThat(this.defaults.choose(signals(null, null, null, null), null, NOW)).isEmpty();
	}

	@Test
	void aPolicyMapsSymptomsItsOwnWayAndAnEmptyStrategyTurnsOneOff() {
		Policy lean = Settings.bind("p", Policy.class, "symptoms.on-latency=fallback", "symptoms.latency=500ms",
				"symptoms.on-error-rate=");
		assertThat(lean.symptoms().choose(signals(800.0, null, null, null), null, NOW).orElseThrow().getKey())
			.isEqualTo("fallback");
		assertThat(lean.symptoms().choose(signals(null, 0.9, null, null), null, NOW)).isEmpty();
		assertThat(lean.symptoms().strategies()).containsExactly("rollback", "restart-more-resources", "restart",
				"fallback");
	}

	private static Signals signals(Double responseTimeMs, Double errorRate, Double memory, Double cpu) {
		return new Signals(responseTimeMs, errorRate, cpu, memory, null, Map.of());
	}

}
