package io.rebound.recovery;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.rebound.agents.AgentHealthChanged;
import io.rebound.agents.AnomalyDetected;
import io.rebound.agents.FailurePredicted;
import io.rebound.errors.ErrorFacts;

/**
 * What counts against a target's quiet after an action, and when: the newest event of the
 * incident's errors that means the target is still failing, on a clock that cannot be an
 * agent's.
 */
final class Quiet {

	private Quiet() {
	}

	/**
	 * When the newest event that counts against the target's quiet happened, or the epoch
	 * when none did.
	 * @param errors the incident's errors
	 * @param target the agent acted on
	 * @param circuit whether the attempt was a circuit break
	 */
	static Instant lastError(List<ErrorFacts.Fact> errors, String target, boolean circuit) {
		return errors.stream()
			.filter((e) -> countsAgainstQuiet(e, target, circuit))
			.map((e) -> healthEvent(e, target) ? e.lastSeen() : e.lastReceived())
			.max(Comparator.naturalOrder())
			.orElse(Instant.EPOCH);
	}

	/**
	 * The events Rebound makes of the target's own state — its fall to degraded, an
	 * anomaly, a predicted failure — which its health and predictions now say are over or
	 * not, better than their repeats.
	 */
	private static final Set<String> ADVISORY = Set.of(AgentHealthChanged.DEGRADED_EVENT_TYPE,
			AnomalyDetected.EVENT_TYPE, FailurePredicted.EVENT_TYPE);

	/**
	 * Whether an event of this error since the action means the target is not quiet: not
	 * the target's own advisory events ({@link #ADVISORY}), nor, for a circuit break, its
	 * breakers' own transitions (they are the break's steps).
	 */
	private static boolean countsAgainstQuiet(ErrorFacts.Fact error, String target, boolean circuit) {
		if (!error.source().equals(target)) {
			return true;
		}
		return !ADVISORY.contains(error.type()) && !(circuit && error.type().startsWith("circuit_"));
	}

	/**
	 * Whether this is an event Rebound made of the target's own fall to critical or
	 * failed. Its time is then the transition's, on Rebound's clock, which says better
	 * than when it reached the bus whether it came before the action: it is published
	 * from an outbox, and may reach the bus seconds later (say, while the recovery leader
	 * changes). Every other event is judged by when it reached the bus, never by an
	 * agent's clock.
	 */
	private static boolean healthEvent(ErrorFacts.Fact error, String target) {
		return error.source().equals(target) && (error.type().equals(AgentHealthChanged.UNRESPONSIVE_EVENT_TYPE)
				|| error.type().equals(AgentHealthChanged.CRITICAL_EVENT_TYPE));
	}

}
