package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.rebound.agents.AgentGraph;
import io.rebound.correlation.Incidents;
import io.rebound.errors.ErrorFacts;

import org.springframework.stereotype.Component;

/**
 * How long a target must stay healthy and its incident's errors quiet before an attempt
 * counts: long enough to see {@code stabilization-heartbeats} of its heartbeats (so a
 * troubled agent can be {@code healthy} again) and {@code stabilization-recurrences}
 * times the usual gap between its errors' events (so an error that recurs every twenty
 * seconds is not taken for cured after ten) — within {@code stabilization-min} and
 * {@code stabilization}. The heartbeat interval is the one Rebound learned on its own
 * clock; an error's gap is its events' span on its agent's clock divided by their count,
 * a difference on one clock, which that clock's offset does not change.
 */
@Component
class Stabilization {

	/**
	 * A window and what set it.
	 *
	 * @param window how long
	 * @param why the reason, for the run's {@code reason}
	 */
	record Window(Duration window, String why) {

		@Override
		public String toString() {
			return this.window.toMillis() + " ms (" + this.why + ")";
		}

	}

	private final AgentGraph agents;

	private final Incidents incidents;

	private final ErrorFacts facts;

	private final RecoveryProperties properties;

	Stabilization(AgentGraph agents, Incidents incidents, ErrorFacts facts, RecoveryProperties properties) {
		this.agents = agents;
		this.incidents = incidents;
		this.facts = facts;
		this.properties = properties;
	}

	/** The window of this run's target and incident. */
	Window of(RecoveryStore.Run run) {
		List<ErrorFacts.Fact> errors = this.incidents.find(run.incidentId())
			.map((incident) -> this.facts.byIds(incident.errorIds()))
			.orElse(List.of());
		return of(run.target(), errors);
	}

	Window of(String target, List<ErrorFacts.Fact> errors) {
		return window(this.properties, this.agents.heartbeatInterval(target), errors);
	}

	/**
	 * The window for a target with this learned heartbeat interval (empty: not learned
	 * yet) and these errors.
	 */
	static Window window(RecoveryProperties properties, Optional<Duration> interval, List<ErrorFacts.Fact> errors) {
		Duration ceiling = properties.stabilization();
		Duration byHeartbeats = interval.map((i) -> i.multipliedBy(properties.stabilizationHeartbeats()))
			.orElse(ceiling);
		Duration gap = errors.stream()
			.filter((e) -> e.count() > 1 && e.firstSeen() != null && e.lastSeen() != null)
			.map((e) -> Duration.between(e.firstSeen(), e.lastSeen()).dividedBy(e.count() - 1))
			.filter((g) -> !g.isNegative())
			.max(Duration::compareTo)
			.orElse(Duration.ZERO);
		Duration byRecurrence = gap.multipliedBy(properties.stabilizationRecurrences());
		Duration wanted = (byRecurrence.compareTo(byHeartbeats) > 0) ? byRecurrence : byHeartbeats;
		String why = (byRecurrence.compareTo(byHeartbeats) > 0)
				? properties.stabilizationRecurrences() + " x its errors' usual gap of " + gap.toMillis() + " ms"
				: interval.map((i) -> properties.stabilizationHeartbeats() + " heartbeats of " + i.toMillis() + " ms")
					.orElse("its heartbeat interval is not known yet");
		if (wanted.compareTo(properties.stabilizationMin()) < 0) {
			wanted = properties.stabilizationMin();
			why += ", at least rebound.recovery.stabilization-min";
		}
		if (wanted.compareTo(ceiling) > 0) {
			wanted = ceiling;
			why += ", at most rebound.recovery.stabilization";
		}
		return new Window(wanted, why);
	}

}
