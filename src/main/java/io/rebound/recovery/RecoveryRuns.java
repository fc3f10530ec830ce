package io.rebound.recovery;

import io.rebound.correlation.IncidentOpened;
import io.rebound.correlation.IncidentResolved;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Starts a recovery run for every new incident with a root agent — at level 1, or at the
 * level its rule recommends; incidents whose rule says {@code human}, or whose errors are
 * {@code fatal} (security failures among them), wait for a person from the start — and
 * cancels the run of an incident that ended otherwise.
 */
@Component
class RecoveryRuns {

	private final RecoveryStore store;

	RecoveryRuns(RecoveryStore store) {
		this.store = store;
	}

	@EventListener
	void on(IncidentOpened opened) {
		if (opened.rootAgent() == null) {
			return;
		}
		boolean person = "human".equals(opened.recovery()) || "fatal".equals(opened.errorClass());
		int level = 1;
		if (opened.recovery() != null && opened.recovery().startsWith("level:")) {
			level = Math.max(1, Math.min(Ladder.PERSON, Integer.parseInt(opened.recovery().substring(6))));
		}
		String reason = person
				? "the cause (" + opened.cause() + ") is not for automatic recovery: " + "a person must act"
				: "starts at level " + level + ((level > 1) ? ", as its rule recommends" : "");
		this.store.start(opened.incidentId(), opened.rootAgent(), level, person, reason);
	}

	@EventListener
	void on(IncidentResolved resolved) {
		this.store.cancel(resolved.incidentId(),
				"the incident was " + resolved.status().wire() + " by " + resolved.by());
	}

}
