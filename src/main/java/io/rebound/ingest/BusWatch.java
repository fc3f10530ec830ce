package io.rebound.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * Whether this instance's view of the bus is current: every second it reads Rebound's
 * consumer groups' committed offsets against the partitions' ends, and calls the bus
 * behind when a partition holds records that no consumer has taken for {@link #STALL}
 * (its consumer died, and the group has not yet handed the partition to another — up to
 * the session timeout), or when the bus does not answer. While it is behind, what has not
 * arrived may still be on its way: silence is not judged (an agent's heartbeats may be
 * waiting in a partition nobody reads) and recovery does not verify (the errors that
 * would fail an attempt may be waiting too). It runs on a thread of its own, so a bus
 * that does not answer delays nothing else.
 */
@Component
@NamedInterface("progress")
public class BusWatch implements InitializingBean, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(BusWatch.class);

	/** How long records may wait in a partition whose consumer does not move. */
	static final Duration STALL = Duration.ofSeconds(2);

	static final Duration EVERY = Duration.ofSeconds(1);

	/** Rebound's consumer groups: events and heartbeats. */
	public static final List<String> GROUPS = List.of("rebound-ingest", "rebound-heartbeats");

	private record Seen(long committed, Instant since) {
	}

	private final BusStatus status;

	private final Clock clock;

	private final Map<String, Seen> seen = new HashMap<>();

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread t = new Thread(r, "rebound-bus-watch");
		t.setDaemon(true);
		return t;
	});

	private volatile Optional<String> behind = Optional.of("the bus has not been looked at yet");

	BusWatch(BusStatus status, Optional<Clock> clock) {
		this.status = status;
		this.clock = clock.orElse(Clock.systemUTC());
	}

	@Override
	public void afterPropertiesSet() {
		this.thread.scheduleWithFixedDelay(this::check, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void destroy() {
		this.thread.shutdownNow();
	}

	/** Empty when the view is current; else why it is behind. */
	public Optional<String> behind() {
		return this.behind;
	}

	void check() {
		Optional<String> now;
		try {
			now = judge(this.status.lag(GROUPS), this.clock.instant());
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			now = Optional.of("the bus did not answer (" + ex.getClass().getSimpleName() + ")");
		}
		if (now.isPresent() != this.behind.isPresent()) {
			if (now.isPresent()) {
				log.warn("Rebound's view of the bus is behind: {}; silence is not judged and recovery does not "
						+ "verify until it is current", now.get());
			}
			else {
				log.info("Rebound's view of the bus is current again");
			}
		}
		this.behind = now;
	}

	/**
	 * A partition is stalled when it holds more than a transaction marker's worth of
	 * records beyond its committed offset and that offset has not moved for
	 * {@link #STALL}.
	 */
	Optional<String> judge(List<BusStatus.PartitionLag> lags, Instant now) {
		String stalled = null;
		for (BusStatus.PartitionLag lag : lags) {
			String key = lag.group() + "/" + lag.topic() + "-" + lag.partition();
			Seen before = this.seen.get(key);
			if (before == null || before.committed() != lag.committed()) {
				before = new Seen(lag.committed(), now);
				this.seen.put(key, before);
			}
			Duration waiting = Duration.between(before.since(), now);
			if (stalled == null && lag.lag() > 1 && waiting.compareTo(STALL) >= 0) {
				stalled = lag.topic() + "-" + lag.partition() + " holds " + lag.lag() + " records that " + lag.group()
						+ " has not taken for " + waiting.toMillis() + " ms";
			}
		}
		return Optional.ofNullable(stalled);
	}

}
