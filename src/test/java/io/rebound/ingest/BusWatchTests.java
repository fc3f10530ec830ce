package io.rebound.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus is behind when records arrive in a partition whose consumer has not moved for
 * three seconds — not while consumers keep committing, nor for transaction markers or
 * aborted records that a {@code read_committed} consumer skips without a commit.
 */
class BusWatchTests {

	static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

	final BusWatch watch = new BusWatch(null, Optional.empty());

	@Test
	void recordsArrivingThatNobodyTakesForThreeSecondsPutTheBusBehind() {
		assertThat(this.watch.judge(List.of(lag("rebound.heartbeats", 3, 100, 101)), T)).isEmpty();
		assertThat(this.watch.judge(List.of(lag("rebound.heartbeats", 3, 100, 130)), T.plusMillis(2900))).isEmpty();
		assertThat(this.watch.judge(List.of(lag("rebound.heartbeats", 3, 100, 140)), T.plusSeconds(3)))
			.contains("rebound.heartbeats-3: 39 new offsets that rebound-heartbeats has not taken for 3000 ms");
		// a consumer took the partition over: current again
		assertThat(this.watch.judge(List.of(lag("rebound.heartbeats", 3, 140, 141)), T.plusSeconds(4))).isEmpty();
	}

	@Test
	void aConsumerThatKeepsCommittingIsNotBehindHoweverLongItsBacklog() {
		for (int s = 0; s < 10; s++) {
			assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 0, 1000L * s, 50_000 + 100L * s)),
					T.plusSeconds(s)))
				.isEmpty();
		}
	}

	@Test
	void markersAndAbortedRecordsThatNoConsumerCommitsPastAreNotABacklog() {
		// an aborted record and its marker: a read_committed consumer skips them, commits
		// nothing
		assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 1, 41, 43)), T)).isEmpty();
		assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 1, 41, 43)), T.plusSeconds(300))).isEmpty();
		// a new record (and its marker) that nobody takes is a backlog
		assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 1, 41, 45)), T.plusSeconds(301))).isPresent();
	}

	private static BusStatus.PartitionLag lag(String topic, int partition, long committed, long end) {
		String group = topic.endsWith("heartbeats") ? "rebound-heartbeats" : "rebound-ingest";
		return new BusStatus.PartitionLag(group, topic, partition, committed, end, end - committed);
	}

}
