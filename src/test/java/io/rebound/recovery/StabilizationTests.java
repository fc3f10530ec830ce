package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rebound.errors.Category;
import io.rebound.errors.ErrorFacts;
import io.rebound.errors.ErrorStatus;
import io.rebound.errors.Severity;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stabilization window adapts to the target's heartbeat interval and to how often its
 * errors recur, within the floor and the ceiling, and says why.
 */
class StabilizationTests {

	static final RecoveryProperties DEFAULTS = bind(Map.of());

	@Test
	void threeHeartbeatsOfTheAgentsLearnedInterval() {
		Stabilization.Window window = Stabilization.window(DEFAULTS, Optional.of(Duration.ofSeconds(5)),
				List.of(error(10, Duration.ofSeconds(1))));
		assertThat(window.window()).isEqualTo(Duration.ofSeconds(15));
		assertThat(window.why()).isEqualTo("3 heartbeats of 5000 ms");
	}

	@Test
	void anErrorThatRecursSlowlyIsWatchedForTwiceItsGap() {
		// an error every 9 s on the agent's clock: quiet for 10 s would prove nothing
		Stabilization.Window window = Stabilization.window(DEFAULTS, Optional.of(Duration.ofSeconds(2)),
				List.of(error(4, Duration.ofSeconds(9)), error(30, Duration.ofMillis(100))));
		assertThat(window.window()).isEqualTo(Duration.ofSeconds(18));
		assertThat(window.why()).startsWith("2 x its errors' usual gap of 9000 ms");
	}

	@Test
	void theFloorAndTheCeilingHold() {
		assertThat(Stabilization.window(DEFAULTS, Optional.of(Duration.ofSeconds(1)), List.of()).window())
			.isEqualTo(Duration.ofSeconds(5));
		assertThat(Stabilization
			.window(DEFAULTS, Optional.of(Duration.ofSeconds(1)), List.of(error(3, Duration.ofMinutes(2))))
			.window()).isEqualTo(Duration.ofSeconds(30));
		// an agent whose interval is not known yet (say, probed only) gets the ceiling
		assertThat(Stabilization.window(DEFAULTS, Optional.empty(), List.of()).window())
			.isEqualTo(Duration.ofSeconds(30));
		// a ceiling below the floor wins: the scaled-down benchmark's 2 s
		RecoveryProperties short_ = bind(Map.of("rebound.recovery.stabilization", "2s"));
		assertThat(Stabilization.window(short_, Optional.of(Duration.ofMillis(150)), List.of()).window())
			.isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void anErrorSeenOnceOrWithItsAgentsClockGoingBackSaysNothingOfItsGap() {
		Instant now = Instant.now();
		ErrorFacts.Fact backwards = fact(5, now, now.minusSeconds(100));
		Stabilization.Window window = Stabilization.window(DEFAULTS, Optional.of(Duration.ofSeconds(2)),
				List.of(error(1, Duration.ZERO), backwards));
		assertThat(window.window()).isEqualTo(Duration.ofSeconds(6));
	}

	private static ErrorFacts.Fact error(long count, Duration gap) {
		Instant first = Instant.parse("2026-12-01T10:00:00Z");
		return fact(count, first, first.plus(gap.multipliedBy(Math.max(0, count - 1))));
	}

	private static ErrorFacts.Fact fact(long count, Instant firstSeen, Instant lastSeen) {
		return new ErrorFacts.Fact(UUID.randomUUID(), "worker-1", "timeout", Severity.HIGH, ErrorStatus.OPEN,
				Category.NETWORK, "timeout", "timeout", "transient", "level:1", null, count, firstSeen, lastSeen,
				Instant.now(), "timed out", 1, null);
	}

	private static RecoveryProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("rebound.recovery",
				RecoveryProperties.class);
	}

}
