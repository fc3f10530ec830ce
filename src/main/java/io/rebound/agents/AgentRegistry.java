package io.rebound.agents;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rebound.security.Audit;
import io.rebound.web.ProblemException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers and updates agents, refusing what would make the registry wrong: unknown
 * policies, bad URLs, and dependency cycles (checked against the whole graph, under a
 * lock so two concurrent registrations cannot close a cycle between them).
 */
@Component
class AgentRegistry {

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final Set<String> policies;

	private final EndpointAllowlist endpoints;

	private final Audit audit;

	AgentRegistry(JdbcTemplate jdbc, JsonMapper json, AgentsProperties properties, Audit audit) {
		this.audit = audit;
		this.jdbc = jdbc;
		this.json = json;
		this.policies = properties.policies();
		this.endpoints = properties.endpoints().allowlist();
	}

	/** A registration through the API: registered and audited in one transaction. */
	@Transactional
	void registerAudited(AgentRegistration registration) {
		register(registration, "api");
		this.audit.record("agent.register", registration.id(),
				Map.of("kind", String.valueOf(registration.kind()), "depends_on",
						String.valueOf(registration.dependsOn()), "policy", String.valueOf(registration.policy())));
	}

	@Transactional
	void register(AgentRegistration request, String registeredBy) {
		AgentRegistration agent = request.withDefaults();
		List<String> problems = agent.problems(this.policies, this.endpoints);
		if (problems.isEmpty()) {
			this.jdbc.execute("LOCK TABLE agents IN SHARE ROW EXCLUSIVE MODE");
			List<String> cycle = cycleThrough(agent);
			if (!cycle.isEmpty()) {
				problems.add("depends_on: this makes a dependency cycle: " + String.join(" -> ", cycle));
			}
		}
		if (!problems.isEmpty()) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-agent", "Invalid agent registration",
					problems.size() + " problem(s); nothing was registered.", Map.of("errors", problems));
		}
		this.jdbc.update("""
				INSERT INTO agents (id, kind, depends_on, control_url, health_url, criticality, policy, version, labels,
				                    registered_by, verbs)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
				ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, depends_on = EXCLUDED.depends_on,
				    control_url = EXCLUDED.control_url, health_url = EXCLUDED.health_url,
				    criticality = EXCLUDED.criticality, policy = EXCLUDED.policy, version = EXCLUDED.version,
				    version_changed_at = CASE WHEN agents.version IS DISTINCT FROM EXCLUDED.version
				        AND agents.version IS NOT NULL THEN now() ELSE agents.version_changed_at END,
				    previous_version = CASE WHEN agents.version IS DISTINCT FROM EXCLUDED.version
				        AND agents.version IS NOT NULL THEN agents.version ELSE agents.previous_version END,
				    labels = EXCLUDED.labels, registered_by = EXCLUDED.registered_by, verbs = EXCLUDED.verbs,
				    verbs_refused = '{}', updated_at = now()
				""", agent.id(), agent.kind(), agent.dependsOn().toArray(String[]::new), agent.controlUrl(),
				agent.healthUrl(), agent.criticality(), agent.policy(), agent.version(),
				this.json.writeValueAsString(agent.labels()), registeredBy, agent.verbs().toArray(String[]::new));
	}

	/** The path from the agent back to itself through the dependency graph, or empty. */
	private List<String> cycleThrough(AgentRegistration agent) {
		Map<String, List<String>> graph = new HashMap<>();
		this.jdbc.query("SELECT id, depends_on FROM agents WHERE cardinality(depends_on) > 0", (rs) -> {
			graph.put(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()));
		});
		graph.put(agent.id(), agent.dependsOn());
		Deque<List<String>> paths = new ArrayDeque<>();
		paths.push(List.of(agent.id()));
		Set<String> seen = new HashSet<>();
		while (!paths.isEmpty()) {
			List<String> path = paths.pop();
			for (String next : graph.getOrDefault(path.get(path.size() - 1), List.of())) {
				List<String> longer = new ArrayList<>(path);
				longer.add(next);
				if (next.equals(agent.id())) {
					return longer;
				}
				if (seen.add(next)) {
					paths.push(longer);
				}
			}
		}
		return List.of();
	}

}
