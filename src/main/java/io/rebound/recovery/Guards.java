package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.rebound.agents.AgentGraph;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * What holds a run back before it acts, inside its step's transaction, saying so in the
 * run: inhibition (an agent its target depends on, directly or not, is being recovered),
 * the per-agent restart intensity and the global cap on level 3+ actions in flight.
 */
@Component
class Guards {

	private final RecoveryStore store;

	private final Attempts attempts;

	private final AgentGraph agents;

	private final RecoveryProperties properties;

	private final ApplicationEventPublisher events;

	private final Stabilization stabilization;

	Guards(RecoveryStore store, Attempts attempts, AgentGraph agents, RecoveryProperties properties,
			ApplicationEventPublisher events, Stabilization stabilization) {
		this.stabilization = stabilization;
		this.store = store;
		this.attempts = attempts;
		this.agents = agents;
		this.properties = properties;
		this.events = events;
	}

	/** Held back while an agent it depends on (directly or not) is being recovered. */
	boolean inhibited(RecoveryStore.Run run, AgentGraph.Node target) {
		Set<String> upstream = new LinkedHashSet<>();
		Deque<String> todo = new ArrayDeque<>(target.dependsOn());
		while (!todo.isEmpty() && upstream.size() < 100) {
			String next = todo.pop();
			if (!next.equals(target.id()) && upstream.add(next)) {
				this.agents.node(next).ifPresent((n) -> todo.addAll(n.dependsOn()));
			}
		}
		List<RecoveryStore.Run> holders = this.store.recovering(upstream, run.id());
		if (holders.isEmpty()) {
			return false;
		}
		RecoveryStore.Run holder = holders.get(0);
		this.store.inhibit(run.id(), holder.id(), this.stabilization.of(run).window(),
				"inhibited: " + run.target() + " depends on " + holder.target() + ", which is being recovered (run "
						+ holder.id() + "); it gets no action of its own meanwhile");
		return true;
	}

	/**
	 * Whether the run's action must wait: a level 3+ action on any agent it would act on
	 * that has had its policy's most in the window, or the global cap.
	 */
	boolean throttled(RecoveryStore.Run run, Policy policy, java.util.Collection<String> actedOn) {
		if (run.level() < 3) {
			return false;
		}
		String why = null;
		for (String agent : actedOn) {
			Policy own = agent.equals(run.target()) ? policy
					: this.agents.node(agent).map((n) -> this.properties.policy(n.policy())).orElse(policy);
			int max = this.properties.maxRestarts(own);
			Duration window = this.properties.restartWindow(own);
			int recent = this.attempts.heavyActionsSince(agent, Instant.now().minus(window));
			if (recent >= max) {
				// never a storm: Erlang/OTP's intensity, per agent acted on
				why = "throttled: " + recent + " actions of level 3 or more on " + agent + " within " + window
						+ " (at most " + max + ")";
				break;
			}
		}
		if (why == null && this.store.heavyInFlight(run.id()) >= this.properties.maxConcurrentHeavy()) {
			why = "throttled: " + this.properties.maxConcurrentHeavy()
					+ " actions of level 3 or more are in flight across the fleet (the global cap)";
		}
		if (why == null) {
			return false;
		}
		this.store.throttle(run.id(), this.properties.cooldownBefore(policy, run.level()), why);
		this.events.publishEvent(new RecoveryEvent.RecoveryThrottled(run.id(), run.incidentId(), run.target(),
				run.level(), why, Instant.now()));
		return true;
	}

}
