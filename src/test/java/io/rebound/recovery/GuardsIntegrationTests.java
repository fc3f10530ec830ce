package io.rebound.recovery;

import java.util.List;
import java.util.UUID;

import io.rebound.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The global cap on level 3+ actions in flight across the fleet (default 5), against the
 * runs as PostgreSQL holds them. Each test runs in a transaction that is rolled back, so
 * the ladder never sees its rows.
 */
@IntegrationTest
@Transactional
class GuardsIntegrationTests {

	@Autowired
	Guards guards;

	@Autowired
	RecoveryStore store;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void aSixthHeavyActionWaitsWhileFiveAreInFlight() {
		for (int i = 0; i < 5; i++) {
			run("cap-busy-" + i, 3, "verify", true);
		}
		RecoveryStore.Run next = this.store.find(run("cap-next", 3, "act", false)).orElseThrow();

		assertThat(this.guards.throttled(next, Policy.DEFAULTS, List.of(next.target()))).isTrue();

		RecoveryStore.Run held = this.store.find(next.id()).orElseThrow();
		assertThat(held.reason())
			.isEqualTo("throttled: 5 actions of level 3 or more are in flight across the fleet (the global cap)");
		assertThat(held.throttled()).isEqualTo(1);
		// due again after the level-3 cooldown (the tests' 300 ms doubled once)
		assertThat(java.time.Duration.between(java.time.Instant.now(), held.nextAt()))
			.isBetween(java.time.Duration.ofSeconds(-5), java.time.Duration.ofSeconds(1));
	}

	@Test
	void belowTheCapAndBelowLevelThreeNothingWaits() {
		for (int i = 0; i < 4; i++) {
			run("cap-busy-" + i, 4, "acting", true);
		}
		// level 2 actions and runs between actions do not count
		run("cap-light", 2, "verify", true);
		run("cap-between", 3, "act", true);
		RecoveryStore.Run next = this.store.find(run("cap-next", 3, "act", false)).orElseThrow();
		RecoveryStore.Run light = this.store.find(run("cap-light-next", 2, "act", false)).orElseThrow();

		assertThat(this.guards.throttled(next, Policy.DEFAULTS, List.of(next.target()))).isFalse();
		assertThat(this.guards.throttled(light, Policy.DEFAULTS, List.of(light.target()))).isFalse();
	}

	@Test
	void aSharedDependencyRestartedByOtherRunsCountsThoseRestartsAgainstItsOwnLimit() {
		String dependency = "shared-db-" + UUID.randomUUID();
		// three runs of three dependants each restarted it (level 4,
		// restart-dependencies)
		for (int i = 0; i < 3; i++) {
			UUID other = run("dependant-" + i, 4, "verify", false);
			this.jdbc.update("""
					INSERT INTO recovery_attempts (id, run_id, incident_id, target, level, strategy, executor,
					    error_kind, outcome, acted_on)
					SELECT ?, id, incident_id, target, 4, 'restart-dependencies', 'http', 'x', 'succeeded', ?
					FROM recovery_runs WHERE id = ?
					""", UUID.randomUUID(), new String[] { dependency }, other);
		}
		RecoveryStore.Run fourth = this.store.find(run("dependant-3", 4, "act", false)).orElseThrow();
		RecoveryStore.Run itsOwn = this.store.find(run("unrelated", 3, "act", false)).orElseThrow();

		assertThat(this.guards.throttled(itsOwn, Policy.DEFAULTS, List.of(itsOwn.target())))
			.as("the restarts were of the dependency, not of the dependants' own targets")
			.isFalse();
		assertThat(this.guards.throttled(fourth, Policy.DEFAULTS, List.of(dependency))).isTrue();
		assertThat(this.store.find(fourth.id()).orElseThrow().reason())
			.isEqualTo("throttled: 3 actions of level 3 or more on " + dependency + " within PT10M (at most 3)");
	}

	/**
	 * A run of a target of its own, due in an hour (the ladder would not pick it anyway).
	 */
	private UUID run(String target, int level, String phase, boolean withAttempt) {
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				INSERT INTO recovery_runs (id, incident_id, target, status, level, phase, next_at, attempt_id, reason)
				VALUES (?, ?, ?, 'running', ?, ?, now() + interval '1 hour', ?, 'test')
				""", id, UUID.randomUUID(), target + "-" + id, level, phase, withAttempt ? UUID.randomUUID() : null);
		return id;
	}

}
