package io.rebound.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the half-second looks at Rebound's consumer groups tell, partition by partition
 * ({@link BusWatch} takes them and publishes the verdict): whether a partition is
 * stalled, and how far behind its consumer is while it catches up.
 */
final class PartitionLooks {

	/**
	 * One look's verdict.
	 *
	 * @param stalled a partition holding new records nobody takes, or empty
	 * @param catchingUp a consumer working through records that arrived {@link #STALL}
	 * ago or more, or empty
	 * @param behindBy how long ago the oldest record a consumer is still working towards
	 * arrived, over all partitions
	 */
	record View(Optional<String> stalled, Optional<String> catchingUp, Duration behindBy) {

		/** Why the view is behind, stalled first; empty when it is current. */
		Optional<String> behind() {
			return this.stalled.or(() -> this.catchingUp);
		}

	}

	/** A partition's committed offset, since when it has not moved, and its end then. */
	private record Seen(long committed, Instant since, long end) {
	}

	/** When a partition's end was first seen at an offset. */
	private record End(Instant at, long end) {
	}

	private final Duration stall;

	private final Map<String, Seen> seen = new HashMap<>();

	/**
	 * Per partition, its ends as they grew, oldest first, from the committed offset on.
	 */
	private final Map<String, ArrayDeque<End>> ends = new HashMap<>();

	/** When the last look was, or {@code null}. */
	private Instant last;

	PartitionLooks(Duration stall) {
		this.stall = stall;
	}

	/** Whether there was a look yet. */
	boolean looked() {
		return this.last != null;
	}

	/**
	 * A partition is stalled when records arrived after its committed offset last moved
	 * and it has not moved for the stall time since. What lies beyond the committed
	 * offset is not enough: transaction markers, and aborted records with theirs, are
	 * skipped by a {@code read_committed} consumer without a commit, and can sit there
	 * for good. So the partition's end must have grown by two offsets or more (a record
	 * and its marker, or two records) since the committed offset last moved.
	 */
	View look(List<BusStatus.PartitionLag> lags, Instant now) {
		String stalled = null;
		String catchingUp = null;
		Duration most = Duration.ZERO;
		for (BusStatus.PartitionLag lag : lags) {
			String key = lag.group() + "/" + lag.topic() + "-" + lag.partition();
			Seen before = this.seen.get(key);
			if (before == null || before.committed() != lag.committed()) {
				before = new Seen(lag.committed(), now, lag.end());
				this.seen.put(key, before);
			}
			Duration waiting = Duration.between(before.since(), now);
			long arrived = lag.end() - before.end();
			if (stalled == null && arrived >= 2 && waiting.compareTo(this.stall) >= 0) {
				stalled = lag.topic() + "-" + lag.partition() + ": " + arrived + " new offsets that " + lag.group()
						+ " has not taken for " + waiting.toMillis() + " ms";
			}
			Duration behindBy = behindBy(key, lag, before, now);
			most = (behindBy.compareTo(most) > 0) ? behindBy : most;
			if (catchingUp == null && behindBy.compareTo(this.stall) >= 0) {
				catchingUp = lag.topic() + "-" + lag.partition() + ": " + lag.group() + " is working through records "
						+ "that arrived " + behindBy.toMillis() + " ms ago";
			}
		}
		this.last = now;
		return new View(Optional.ofNullable(stalled), Optional.ofNullable(catchingUp), most);
	}

	/**
	 * How long ago the oldest record its consumer has not committed arrived, as far as
	 * the looks tell: the first time its end was seen two offsets or more past where its
	 * consumer is now (one is the marker of a committed transaction). A partition whose
	 * end and committed offset both rest for the stall time is current, whatever lies
	 * between them: markers and aborted records a {@code read_committed} consumer skips
	 * without committing, which a consumer with work to do would not leave unmoved.
	 */
	private Duration behindBy(String key, BusStatus.PartitionLag lag, Seen before, Instant now) {
		ArrayDeque<End> grown = this.ends.computeIfAbsent(key, (k) -> new ArrayDeque<>());
		if (grown.isEmpty() || grown.peekLast().end() < lag.end()) {
			// what arrived since the last look may have arrived right after it: dated
			// then (after the bus did not answer for a while, that is when it stopped)
			grown.addLast(new End((this.last != null) ? this.last : now, lag.end()));
		}
		while (!grown.isEmpty() && grown.peekFirst().end() < lag.committed() + 2) {
			grown.removeFirst();
		}
		boolean resting = lag.end() == before.end() && Duration.between(before.since(), now).compareTo(this.stall) >= 0
				&& (grown.isEmpty() || Duration.between(grown.peekLast().at(), now).compareTo(this.stall) >= 0);
		if (grown.isEmpty() || resting) {
			return Duration.ZERO;
		}
		return Duration.between(grown.peekFirst().at(), now);
	}

}
