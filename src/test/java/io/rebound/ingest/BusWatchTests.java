package io.rebound.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus is behind when a partition holds records its consumer has not moved past for
 * two seconds — not while consumers keep committing, nor for a transaction marker.
 */
class BusWatchTests {

	static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

	final BusWatch watch = new BusWatch(null, Optional.empty());

	@Test
	void recordsNobodyTakesForTwoSecondsPutTheBusBehind() {
		assertThat(this.watch.judge(List.of(lag("rebound.heartbeats", 3, 100, 140)), T)).isEmpty();
		assertThat(this.watch.judge(List.of(lag("rebound.heartbeats", 3, 100, 160)), T.plusMillis(1900))).isEmpty();
		assertThat(this.watch.judge(List.of(lag("rebound.heartbeats", 3, 100, 170)), T.plusSeconds(2)))
			.contains("rebound.heartbeats-3 holds 70 records that rebound-heartbeats has not taken for 2000 ms");
		// a consumer took the partition over: current again
		assertThat(this.watch.judge(List.of(lag("rebound.heartbeats", 3, 170, 171)), T.plusSeconds(3))).isEmpty();
	}

	@Test
	void aConsumerThatKeepsCommittingIsNotBehindHoweverLongItsBacklog() {
		for (int s = 0; s < 10; s++) {
			assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 0, 1000L * s, 50_000)), T.plusSeconds(s)))
				.isEmpty();
		}
	}

	@Test
	void aTransactionMarkerPastTheLastRecordIsNotABacklog() {
		assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 1, 41, 42)), T)).isEmpty();
		assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 1, 41, 42)), T.plusSeconds(60))).isEmpty();
	}

	private static BusStatus.PartitionLag lag(String topic, int partition, long committed, long end) {
		String group = topic.endsWith("heartbeats") ? "rebound-heartbeats" : "rebound-ingest";
		return new BusStatus.PartitionLag(group, topic, partition, committed, end, end - committed);
	}

}
