package io.rebound.agents;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Looks, every {@code rebound.agents.sweep-interval}, for agents whose heartbeats
 * stopped. Rows are locked with {@code SKIP LOCKED}, so several instances share the work
 * without judging one agent twice.
 */
@Component
class HeartbeatSweeper {

	private static final Logger log = LoggerFactory.getLogger(HeartbeatSweeper.class);

	private static final int BATCH = 500;

	private final HealthTracker tracker;

	HeartbeatSweeper(HealthTracker tracker) {
		this.tracker = tracker;
	}

	@Scheduled(fixedDelayString = AgentsProperties.BEAN + ".sweepInterval().toMillis()}")
	void sweep() {
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
