package io.rebound.recovery;

import java.time.Duration;
import java.util.UUID;

import io.rebound.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records in PostgreSQL: the adaptive timeout per (kind of error, strategy) from the
 * observed durations — the default until three are seen, then mean + 4σ (at least twice
 * the mean), within bounds — and judgements and relapses adding up.
 */
@IntegrationTest
class RecoveryRecordsIntegrationTests {

	@Autowired
	RecoveryRecords records;

	String kind = "cause|category|" + UUID.randomUUID();

	@Test
	void theTimeoutAdaptsToObservedDurationsWithinBounds() {
		assertThat(this.records.timeout(this.records.of(this.kind).get("restart"))).isEqualTo(Duration.ofSeconds(5));
		this.records.timed(this.kind, "restart", 3, 3000);
		this.records.timed(this.kind, "restart", 3, 3000);
		assertThat(this.records.timeout(this.records.of(this.kind).get("restart")))
			.as("the default until three durations are seen")
			.isEqualTo(Duration.ofSeconds(5));
		this.records.timed(this.kind, "restart", 3, 3000);

		RecoveryRecords.Record steady = this.records.of(this.kind).get("restart");
		assertThat(steady.durationMsMean()).isEqualTo(3000.0);
		assertThat(this.records.timeout(steady)).as("twice the mean when it never varies")
			.isEqualTo(Duration.ofSeconds(6));

		this.records.timed(this.kind, "restart", 3, 13000);
		RecoveryRecords.Record varied = this.records.of(this.kind).get("restart");
		// mean 3000 + 0.2 × 10000 = 5000; variance 0.8 × 0.2 × 10000² = 16e6 (σ = 4000)
		assertThat(varied.durationMsMean()).isEqualTo(5000.0);
		assertThat(varied.durationMsVar()).isEqualTo(16_000_000.0);
		assertThat(this.records.timeout(varied)).isEqualTo(Duration.ofSeconds(21));

		String slow = "slow|" + UUID.randomUUID();
		for (int i = 0; i < 3; i++) {
			this.records.timed(slow, "restart", 3, 100_000);
			this.records.timed(slow, "retry", 1, 10);
		}
		assertThat(this.records.timeout(this.records.of(slow).get("restart"))).as("at most the maximum")
			.isEqualTo(Duration.ofSeconds(60));
		assertThat(this.records.timeout(this.records.of(slow).get("retry"))).as("at least the minimum")
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void judgementsAndRelapsesAddUp() {
		this.records.judged(this.kind, "reload", 2, true, 12.5, 1.0, 1);
		this.records.judged(this.kind, "reload", 2, false, 99, 0.5, 1);
		this.records.relapse(this.kind, "reload");
		this.records.relapse(this.kind, "reload");

		RecoveryRecords.Record record = this.records.of(this.kind).get("reload");
		assertThat(record.attempts()).isEqualTo(2);
		assertThat(record.successes()).isEqualTo(1);
		assertThat(record.ttrSecondsSum()).as("time to recover counts successes only").isEqualTo(12.5);
		assertThat(record.recoveredSum()).isEqualTo(1.5);
		assertThat(record.relapses()).as("never more relapses than successes").isEqualTo(1);
	}

}
