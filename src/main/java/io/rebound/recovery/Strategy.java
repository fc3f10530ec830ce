package io.rebound.recovery;

import java.util.List;

import io.rebound.agents.AgentOverview;

/**
 * One way to recover at one level. Adding a strategy is adding one implementation of this
 * interface as a bean; the ladder picks the strategies registered for a level.
 */
interface Strategy {

	/** A stable name, like {@code restart}. */
	String name();

	/** The level it belongs to, 1 to 5. */
	int level();

	/**
	 * What to do for this target: the calls to make (empty: nothing to call, and a person
	 * is needed).
	 * @param target the agent at the root of the incident
	 * @param dependencies the agents it depends on
	 */
	List<Action> plan(AgentOverview.Node target, List<AgentOverview.Node> dependencies);

	/**
	 * A call to an agent's control endpoint: {@code POST <control_url>/<verb>}.
	 *
	 * @param agent the agent
	 * @param controlUrl its registered control endpoint
	 * @param verb {@code retry}, {@code reload}, {@code restart}, …
	 */
	record Action(String agent, String controlUrl, String verb) {
	}

	static Strategy onTarget(String name, int level, String verb) {
		return new Strategy() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public int level() {
				return level;
			}

			@Override
			public List<Action> plan(AgentOverview.Node target, List<AgentOverview.Node> dependencies) {
				return (target.controlUrl() != null) ? List.of(new Action(target.id(), target.controlUrl(), verb))
						: List.of();
			}

		};
	}

}
