package io.rebound.recovery;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.rebound.agents.AgentGraph;

/**
 * One way to recover at one level. Adding a strategy is adding one implementation of this
 * interface as a bean; within a level the ladder chooses among the strategies registered
 * for it by their record for the kind of error.
 */
interface Strategy {

	/** A stable name, like {@code restart}. */
	String name();

	/** The level it belongs to, 1 to 5. */
	int level();

	/**
	 * How good it is believed to be (0 to 1) before it has a record: it orders the
	 * strategies of a level until history speaks.
	 */
	default double prior() {
		return 0.5;
	}

	/** What to do for this target. */
	Plan plan(Target target);

	/**
	 * What a strategy may act on.
	 *
	 * @param agent the agent at the root of the incident
	 * @param dependencies the agents it depends on
	 * @param group the agents of its group (label {@code group}), itself included; empty
	 * without a group
	 * @param policy its policy
	 * @param policies the policy of any agent, by its tier
	 * @param errorClass the incident's error class ({@code transient},
	 * {@code recoverable}, {@code fatal}), or {@code null}
	 * @param backup the agent its label {@code backup} names, when registered
	 */
	record Target(AgentGraph.Node agent, List<AgentGraph.Node> dependencies, List<AgentGraph.Node> group, Policy policy,
			Function<String, Policy> policies, String errorClass, Optional<AgentGraph.Node> backup) {

		/**
		 * The action that carries this verb out on this agent, through the executor its
		 * policy names: a command template for the verb, else Kubernetes for
		 * {@code restart} and {@code scale} when the policy places the agent there, else
		 * its HTTP control endpoint. Empty when there is no way.
		 */
		Optional<Action> on(AgentGraph.Node node, String verb, Map<String, String> params) {
			Policy policy = this.policies.apply(node.policy());
			String template = policy.commands().get(verb);
			if (template != null) {
				return Optional.of(new Action("command", node.id(), verb, template, params));
			}
			if (policy.kubernetes() != null
					&& (verb.equals("restart") || verb.equals("scale") || verb.equals("rollback"))) {
				Policy.Kubernetes k8s = policy.kubernetes();
				return Optional.of(new Action("kubernetes", node.id(), verb,
						k8s.namespace() + "/" + k8s.kind() + "/" + k8s.nameOf(node.id()), params));
			}
			return (node.controlUrl() != null && node.handles(verb))
					? Optional.of(new Action("http", node.id(), verb, node.controlUrl(), params)) : Optional.empty();
		}

	}

	/**
	 * One thing for an executor to do.
	 *
	 * @param executor {@code http}, {@code kubernetes} or {@code command}
	 * @param agent the agent acted on
	 * @param verb {@code retry}, {@code reload}, {@code restart}, {@code scale}, …
	 * @param address where: the control endpoint, {@code namespace/Kind/name}, or the
	 * command template's name
	 * @param params extra parameters (strings, sent as they are)
	 */
	record Action(String executor, String agent, String verb, String address, Map<String, String> params) {

		public Action {
			params = Map.copyOf(params);
		}

	}

	/**
	 * A strategy's plan for a target.
	 *
	 * @param actions the actions, in order
	 * @param cannot why it cannot act, or {@code null}
	 */
	record Plan(List<Action> actions, String cannot) {

		static Plan of(List<Action> actions, String otherwise) {
			return actions.isEmpty() ? new Plan(List.of(), otherwise) : new Plan(List.copyOf(actions), null);
		}

		/** Nothing to call: the verification alone tells. */
		static Plan watch() {
			return new Plan(List.of(), null);
		}

		boolean possible() {
			return this.cannot == null;
		}

	}

	/** A strategy made of its name, level, prior and planning. */
	static Strategy of(String name, int level, double prior, Function<Target, Plan> planning) {
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
			public double prior() {
				return prior;
			}

			@Override
			public Plan plan(Target target) {
				return planning.apply(target);
			}

		};
	}

	/** A strategy that carries one verb out on the target itself. */
	static Strategy onTarget(String name, int level, double prior, String verb, Map<String, String> params) {
		return of(name, level, prior,
				(target) -> Plan.of(target.on(target.agent(), verb, params).stream().toList(), "no way to " + verb + " "
						+ target.agent().id() + ": no control endpoint, command template or Kubernetes workload"));
	}

}
