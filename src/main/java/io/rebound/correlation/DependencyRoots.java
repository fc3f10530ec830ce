package io.rebound.correlation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.rebound.agents.AgentGraph;
import io.rebound.agents.HealthState;

/**
 * Finds the failing dependency behind an agent's errors. An agent is failing when its
 * health is degraded, critical or failed, when it has a recent open error of high
 * severity or worse, or when it is the root of an active incident. The root of an agent's
 * errors is the deepest failing agent reached through failing dependencies only: a
 * healthy agent in between breaks the chain, so an agent is never blamed on a distant
 * failure it does not touch.
 */
final class DependencyRoots {

	/**
	 * The failing agent behind another's errors.
	 *
	 * @param agent the root
	 * @param path from the reporting agent to the root
	 * @param evidence why the root counts as failing
	 */
	record Root(String agent, List<String> path, String evidence) {
	}

	private final Map<String, AgentGraph.Node> graph;

	private final Set<String> erroring;

	private final Set<String> incidentRoots;

	private final Map<String, List<String>> dependents = new HashMap<>();

	DependencyRoots(Map<String, AgentGraph.Node> graph, Set<String> erroring, Set<String> incidentRoots) {
		this.graph = graph;
		this.erroring = erroring;
		this.incidentRoots = incidentRoots;
		for (AgentGraph.Node node : graph.values()) {
			for (String dependency : node.dependsOn()) {
				this.dependents.computeIfAbsent(dependency, (d) -> new ArrayList<>()).add(node.id());
			}
		}
	}

	void rootOfIncident(String agent) {
		this.incidentRoots.add(agent);
	}

	String evidence(String agent) {
		AgentGraph.Node node = this.graph.get(agent);
		if (node != null && node.state().ordinal() >= HealthState.DEGRADED.ordinal()
				&& node.state() != HealthState.STOPPED) {
			return "health " + node.state().name().toLowerCase();
		}
		if (this.erroring.contains(agent)) {
			return "recent open errors of high severity or worse";
		}
		if (this.incidentRoots.contains(agent)) {
			return "root of an active incident";
		}
		return null;
	}

	boolean failing(String agent) {
		return evidence(agent) != null;
	}

	/** The failing dependency behind this agent's errors, if there is one. */
	Optional<Root> of(String source) {
		List<String> path = new ArrayList<>();
		path.add(source);
		Set<String> visited = new HashSet<>();
		visited.add(source);
		return deepest(source, path, visited);
	}

	private Optional<Root> deepest(String agent, List<String> path, Set<String> visited) {
		AgentGraph.Node node = this.graph.get(agent);
		if (node == null) {
			return Optional.empty();
		}
		for (String dependency : node.dependsOn()) {
			if (!visited.add(dependency) || !failing(dependency)) {
				continue;
			}
			path.add(dependency);
			Optional<Root> deeper = deepest(dependency, path, visited);
			if (deeper.isPresent()) {
				return deeper;
			}
			Root root = new Root(dependency, List.copyOf(path), evidence(dependency));
			path.remove(path.size() - 1);
			return Optional.of(root);
		}
		return Optional.empty();
	}

	/**
	 * Agents whose errors this agent's failure explains: its dependents, transitively.
	 */
	Set<String> affectedBy(String root) {
		Set<String> found = new HashSet<>();
		List<String> queue = new ArrayList<>(List.of(root));
		while (!queue.isEmpty()) {
			String agent = queue.remove(queue.size() - 1);
			for (String dependent : this.dependents.getOrDefault(agent, List.of())) {
				if (found.add(dependent)) {
					queue.add(dependent);
				}
			}
		}
		found.remove(root);
		return found;
	}

}
