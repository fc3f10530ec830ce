package io.rebound.degradation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.rebound.agents.AgentGraph;
import io.rebound.agents.HealthState;
import io.rebound.degradation.DegradationProperties.Criticality;
import io.rebound.degradation.DegradationProperties.Feature;

/**
 * The degradation judgement, as a pure function of the feature map, the agents' health
 * and which of them are being recovered. A feature is off while an agent it needs is not
 * registered, {@code critical}, {@code failed} or {@code stopped}, or has a recovery run
 * that is not over — so it comes back once its dependency's recovery is verified, not at
 * its first good heartbeat. An agent that is {@code degraded} leaves it on, at risk; one
 * never heard from ({@code unknown}) is not known to be down.
 */
final class FeatureMap {

	private FeatureMap() {
	}

	/**
	 * One feature's state.
	 *
	 * @param name the feature
	 * @param criticality how much it matters
	 * @param enabled whether it is on
	 * @param needs the agents it needs
	 * @param why why it is off or at risk, one reason per agent; empty when all is well
	 */
	record FeatureState(String name, String criticality, boolean enabled, List<String> needs, List<String> why) {
	}

	/**
	 * The fleet's state.
	 *
	 * @param level its level
	 * @param features every feature, by name
	 */
	record Assessment(FleetLevel level, List<FeatureState> features) {

		List<String> off() {
			return this.features.stream().filter((f) -> !f.enabled()).map(FeatureState::name).toList();
		}

	}

	static Assessment assess(Map<String, Feature> features, Map<String, AgentGraph.Node> agents,
			Set<String> recovering) {
		List<FeatureState> states = new ArrayList<>();
		new TreeMap<>(features).forEach((name, feature) -> {
			boolean enabled = true;
			List<String> why = new ArrayList<>();
			for (String need : feature.needs()) {
				AgentGraph.Node agent = agents.get(need);
				String down = (agent == null) ? need + " is not registered" : switch (agent.state()) {
					case CRITICAL, FAILED, STOPPED -> need + " is " + agent.state().wire();
					default ->
						recovering.contains(need) ? need + " is being recovered (" + agent.state().wire() + ")" : null;
				};
				if (down != null) {
					enabled = false;
					why.add(down);
				}
				else if (agent.state() == HealthState.DEGRADED) {
					why.add(need + " is degraded");
				}
			}
			states
				.add(new FeatureState(name, feature.criticality().wire(), enabled, feature.needs(), List.copyOf(why)));
		});
		return new Assessment(level(features, states), List.copyOf(states));
	}

	private static FleetLevel level(Map<String, Feature> features, List<FeatureState> states) {
		List<Criticality> off = states.stream()
			.filter((s) -> !s.enabled())
			.map((s) -> features.get(s.name()).criticality())
			.toList();
		if (off.isEmpty()) {
			return FleetLevel.FULL;
		}
		long essential = features.values().stream().filter((f) -> f.criticality() == Criticality.ESSENTIAL).count();
		long essentialOff = off.stream().filter((c) -> c == Criticality.ESSENTIAL).count();
		if ((essential > 0 && essentialOff == essential) || (essential == 0 && off.size() == features.size())) {
			return FleetLevel.EMERGENCY;
		}
		if (essentialOff > 0) {
			return FleetLevel.MINIMAL;
		}
		if (off.contains(Criticality.CRITICAL)) {
			return FleetLevel.SEVERE;
		}
		return off.contains(Criticality.IMPORTANT) ? FleetLevel.MODERATE : FleetLevel.MINOR;
	}

}
