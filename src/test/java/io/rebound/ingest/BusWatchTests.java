package io.rebound.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus is behind when records arrive in a partition whose consumer has not moved for
 * three seconds, or while its consumer works through records that arrived three seconds
 * ago or more — not while consumers keep up, nor for transaction markers or aborted
 * records that a {@code read_committed} consumer skips without a commit.
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
	void aConsumerWorkingThroughRecordsThatArrivedOverThreeSecondsAgoIsBehindUntilItCatchesUp() {
		// a backlog of 50,000 offsets, taken 10,000 a second while 100 more arrive each
		// second
		for (int s = 0; s < 3; s++) {
			assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 0, 10_000L * s, 50_000 + 100L * s)),
					T.plusSeconds(s)))
				.isEmpty();
		}
		assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 0, 30_000, 50_300)), T.plusSeconds(3)))
			.contains("rebound.errors.high-0: rebound-ingest is working through records that arrived 3000 ms ago");
		assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 0, 50_100, 50_500)), T.plusSeconds(5)))
			.as("what it has not taken arrived 3 s ago")
			.isPresent();
		// it reached what arrived a second ago: current
		assertThat(this.watch.judge(List.of(lag("rebound.errors.high", 0, 50_500, 50_600)), T.plusSeconds(6)))
			.isEmpty();
	}

	@Test
	void aConsumerKeepingUpWithASteadyStreamIsCurrent() {
		for (int i = 0; i < 40; i++) {
			// 2,500 offsets a half second; the consumer is one poll (a few hundred)
			// behind
			long end = 2_500L * i + 300;
			assertThat(this.watch.judge(List.of(lag("rebound.errors.low", 2, end - 300, end)), T.plusMillis(500L * i)))
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

	@Test
	void whatArrivedWhileTheBusDidNotAnswerIsDatedFromTheLastLookBeforeIt() {
		assertThat(this.watch.judge(List.of(lag("rebound.errors.low", 0, 1000, 1001)), T)).isEmpty();
		// 30 s without an answer; then the consumer has moved a little, the end a lot
		assertThat(this.watch.judge(List.of(lag("rebound.errors.low", 0, 1200, 151_000)), T.plusSeconds(30)))
			.contains("rebound.errors.low-0: rebound-ingest is working through records that arrived 30000 ms ago");
	}

	private static BusStatus.PartitionLag lag(String topic, int partition, long committed, long end) {
		String group = topic.endsWith("heartbeats") ? "rebound-heartbeats" : "rebound-ingest";
		return new BusStatus.PartitionLag(group, topic, partition, committed, end, end - committed);
	}

}
