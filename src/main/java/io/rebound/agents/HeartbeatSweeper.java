package io.rebound.agents;

import java.time.Instant;

import io.rebound.ingest.BusWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Looks, every {@code rebound.agents.sweep-interval}, for agents whose heartbeats
 * stopped. Rows are locked with {@code SKIP LOCKED}, so several instances share the work
 * without judging one agent twice. Not while this instance's view of the bus is behind
 * ({@link BusWatch}): the heartbeats it has not seen may be waiting in a partition whose
 * consumer died, or in a bus it cannot reach — nor for {@link BusWatch#AFTER_UNREACHABLE}
 * after the bus last did not answer, while the heartbeats agents send after its return
 * come in.
 */
@Component
class HeartbeatSweeper {

	private static final Logger log = LoggerFactory.getLogger(HeartbeatSweeper.class);

	private static final int BATCH = 500;

	private final HealthTracker tracker;

	private final BusWatch bus;

	HeartbeatSweeper(HealthTracker tracker, BusWatch bus) {
		this.tracker = tracker;
		this.bus = bus;
	}

	@Scheduled(fixedDelayString = AgentsProperties.BEAN + ".sweepInterval().toMillis()}")
	void sweep() {
		if (this.bus.behind().isPresent()) {
			return;
		}
		// heartbeats sent while the bus did not answer were refused or lost: agents are
		// given until their next ones are in before silence counts again
		if (this.bus.unreachableSince(Instant.MIN).isPresent()) {
			return;
		}
		try {
			for (int round = 0; round < 20 && this.tracker.sweep(BATCH) == BATCH; round++) {
				// more are overdue: keep going, within reason
			}
		}
		catch (RuntimeException ex) {
			log.warn("Sweeping for silent agents failed; trying again at the next interval: {}", ex.toString());
		}
	}

}
