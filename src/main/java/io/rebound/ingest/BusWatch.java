package io.rebound.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Whether this instance's view of the bus is current: every half second it reads
 * Rebound's consumer groups' committed offsets against the partitions' ends, and calls
 * the bus behind when a partition holds records that no consumer has taken for
 * {@link #STALL} (its consumer died, and the group has not yet handed the partition to
 * another — up to the session timeout), when its consumer is working through records that
 * arrived more than {@link #STALL} ago (catching up after an outage: what it has not
 * reached yet may be what a judgement needs), or when the bus does not answer. While it
 * is behind, what has not arrived may still be on its way: silence is not judged (an
 * agent's heartbeats may be waiting in a partition nobody reads) and recovery does not
 * verify (the errors that would fail an attempt may be waiting too). It runs on a thread
 * of its own, so a bus that does not answer delays nothing else.
 */
@Component
@NamedInterface("progress")
public class BusWatch implements InitializingBean, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(BusWatch.class);

	/**
	 * How long new records may wait in a partition whose consumer does not move: with a
	 * check every half second, a stall is seen within 3.5 s, before an agent heartbeating
	 * every 2 s or slower can be judged critical by silence (two missed and the
	 * tolerance: 5 s at 2 s, 11 s at the clients' 5 s). A consumer busy with one batch
	 * that long is taken for stalled too, which only delays judgements while it lasts.
	 */
	static final Duration STALL = Duration.ofSeconds(3);

	static final Duration EVERY = Duration.ofMillis(500);

	/** A view behind this long is logged; a moment behind (a long batch) is common. */
	static final Duration TELL_AFTER = Duration.ofSeconds(5);

	/** Rebound's consumer groups: events and heartbeats. */
	public static final List<String> GROUPS = List.of("rebound-ingest", "rebound-heartbeats");

	private final BusStatus status;

	private final Clock clock;

	private final PartitionLooks partitions = new PartitionLooks(STALL);

	/** When the bus last did not answer, or {@code null}. */
	private volatile Instant unreachableAt;

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread t = new Thread(r, "rebound-bus-watch");
		t.setDaemon(true);
		return t;
	});

	private volatile Optional<String> behind = Optional.of("the bus has not been looked at yet");

	/** Behind for a reason other than catching up: a stalled partition, no answer. */
	private volatile Optional<String> stalled = this.behind;

	/** How long ago the oldest record a consumer is still working towards arrived. */
	private volatile Duration behindBy = Duration.ZERO;

	/** Since when the bus has not answered, or {@code null}. */
	private Instant failingSince;

	/** Not answering for this long is an outage. */
	static final Duration UNREACHABLE = Duration.ofSeconds(1);

	/**
	 * Since when the view has been behind, or {@code null}; and whether that was told.
	 */
	private Instant behindSince;

	private boolean warned;

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

	/**
	 * Empty when the view is current; else why it is behind: stalled, not answering, or
	 * its consumers working through records that arrived {@link #STALL} ago or more.
	 */
	public Optional<String> behind() {
		return this.behind;
	}

	/**
	 * Empty unless the view is behind for a reason other than catching up: a partition
	 * nobody takes, or a bus that does not answer — how far behind is then unknown.
	 */
	public Optional<String> stalled() {
		return this.stalled;
	}

	/**
	 * How far the view is behind while its consumers catch up: what arrived since then
	 * may not be stored yet. Zero when they keep up.
	 */
	public Duration behindBy() {
		return this.behindBy;
	}

	/**
	 * How long after the bus last did not answer what agents sent meanwhile may still be
	 * on its way: the clients' longest back-off (30 s) and the in-flight margin.
	 */
	public static final Duration AFTER_UNREACHABLE = Duration.ofSeconds(32);

	/**
	 * When the bus last did not answer this instance, if that was after {@code after} and
	 * less than {@link #AFTER_UNREACHABLE} ago: while it did not, Rebound could not
	 * publish what agents sent it, and they keep that for later (the clients retry with
	 * back-off), so it may still be on its way.
	 */
	public Optional<Instant> unreachableSince(Instant after) {
		Instant at = this.unreachableAt;
		return (at != null && at.isAfter(after) && this.clock.instant().isBefore(at.plus(AFTER_UNREACHABLE)))
				? Optional.of(at) : Optional.empty();
	}

	void check() {
		Optional<String> now;
		Optional<String> stalledNow;
		Duration lag;
		try {
			PartitionLooks.View view = this.partitions.look(this.status.lag(GROUPS), this.clock.instant());
			now = view.behind();
			stalledNow = view.stalled();
			lag = view.behindBy();
			this.failingSince = null;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			now = Optional.of("the bus did not answer (" + ex.getClass().getSimpleName() + ")");
			stalledNow = now;
			lag = this.behindBy;
			Instant failed = this.clock.instant();
			this.failingSince = (this.failingSince != null) ? this.failingSince : failed;
			// unreachable once it answered before and has not for a second: one slow
			// answer is not an outage
			if (this.partitions.looked() && Duration.between(this.failingSince, failed).compareTo(UNREACHABLE) >= 0) {
				this.unreachableAt = failed;
			}
		}
		this.stalled = stalledNow;
		this.behindBy = lag;
		Instant at = this.clock.instant();
		if (now.isPresent()) {
			this.behindSince = (this.behindSince != null) ? this.behindSince : at;
			if (!this.warned && Duration.between(this.behindSince, at).compareTo(TELL_AFTER) >= 0) {
				log.warn("Rebound's view of the bus is behind: {}; silence is not judged and recovery does not "
						+ "verify until it is current", now.get());
				this.warned = true;
			}
		}
		else if (this.behindSince != null) {
			if (this.warned) {
				log.info("Rebound's view of the bus is current again, after {} s",
						Duration.between(this.behindSince, at).toSeconds());
			}
			this.behindSince = null;
			this.warned = false;
		}
		this.behind = now;
	}

	/** One look at the partitions: why the view is behind, or empty. */
	Optional<String> judge(List<BusStatus.PartitionLag> lags, Instant now) {
		return this.partitions.look(lags, now).behind();
	}

}
