package io.rebound.agents;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The agents as other features act on them: the dependency graph with each agent's state,
 * policy, group, backup, verbs and newest signals; its labels and tasks' checkpoints; and
 * the restart grace recovery gives an agent it restarted.
 */
@Component
public class AgentGraph {

	/**
	 * Where an agent's task stood: the newest version of its checkpoint.
	 *
	 * @param task the task
	 * @param version the checkpoint's version
	 * @param sha256 the SHA-256 of its body
	 * @param url where the agent reads it
	 */
	public record CheckpointRef(String task, int version, String sha256, String url) {
	}

	/**
	 * An agent as the dependency graph sees it.
	 *
	 * @param id the agent
	 * @param kind what it is
	 * @param state its health state
	 * @param dependsOn the agents it needs
	 * @param controlUrl where recovery asks it to act, or {@code null}
	 * @param policy its recovery policy tier
	 * @param group its label {@code group}, or {@code null}: the agents recovery may
	 * restart together at level 5
	 * @param lastSign when Rebound last heard from it, on Rebound's clock: its newest
	 * heartbeat or passed probe, or {@code null}
	 * @param backup its label {@code backup}, or {@code null}: the agent a failover hands
	 * its work to
	 * @param verbs the control verbs it handles beyond the basic ones
	 * @param refused the basic verbs it answered {@code 409} to since it registered
	 * @param signals what its newest heartbeat reported
	 * @param versionChangedAt when its registered version last changed (Rebound's clock),
	 * or {@code null}
	 * @param failurePredictedSince since when a failure of it is predicted (a metric's
	 * trend heads for its limit, on the broker's clock), or {@code null} when none is
	 */
	public record Node(String id, String kind, HealthState state, List<String> dependsOn, String controlUrl,
			String policy, String group, Instant lastSign, String backup, List<String> verbs, List<String> refused,
			Signals signals, Instant versionChangedAt, Instant failurePredictedSince) {

		/**
		 * Whether it said it handles this verb; the basic ones every agent handles unless
		 * it refused them.
		 */
		public boolean handles(String verb) {
			return (BASIC_VERBS.contains(verb) && !this.refused.contains(verb)) || this.verbs.contains(verb);
		}

	}

	/** The verbs every agent with a control endpoint is assumed to handle. */
	public static final java.util.Set<String> BASIC_VERBS = java.util.Set.of("retry", "reload", "restart", "scale");

	/**
	 * What an agent's newest heartbeat reported; each {@code null} when it said nothing.
	 *
	 * @param responseTimeMs its response time
	 * @param errorRate its error rate, 0 to 1
	 * @param cpu its CPU use, 0 to 1
	 * @param memory its memory use, 0 to 1
	 * @param queueDepth its queue depth
	 * @param breakers its circuit breakers' states by name
	 */
	public record Signals(Double responseTimeMs, Double errorRate, Double cpu, Double memory, Double queueDepth,
			Map<String, String> breakers) {

		static final Signals NONE = new Signals(null, null, null, null, null, Map.of());

	}

	private static final String NODE_COLUMNS = "id, kind, state, depends_on, control_url, policy, labels ->> 'group' AS grp, "
			+ "greatest(last_heartbeat_at, CASE WHEN last_probe_ok THEN last_probe_at END) AS last_sign, "
			+ "labels ->> 'backup' AS backup, verbs, verbs_refused, last_metrics::text AS signals, version_changed_at, "
			+ "(SELECT min(w.predicted_since) FROM agent_metric_windows w WHERE w.agent_id = agents.id) AS predicted_since";

	private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
		.build();

	private static Node node(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		java.sql.Timestamp lastSign = rs.getTimestamp("last_sign");
		return new Node(rs.getString("id"), rs.getString("kind"), HealthState.fromWire(rs.getString("state")),
				List.of((String[]) rs.getArray("depends_on").getArray()), rs.getString("control_url"),
				rs.getString("policy"), rs.getString("grp"), (lastSign != null) ? lastSign.toInstant() : null,
				rs.getString("backup"), List.of((String[]) rs.getArray("verbs").getArray()),
				List.of((String[]) rs.getArray("verbs_refused").getArray()), signals(rs.getString("signals")),
				io.rebound.shared.Timestamps.instant(rs.getTimestamp("version_changed_at")),
				io.rebound.shared.Timestamps.instant(rs.getTimestamp("predicted_since")));
	}

	private static Signals signals(String json) {
		if (json == null) {
			return Signals.NONE;
		}
		tools.jackson.databind.JsonNode metrics = JSON.readTree(json);
		Map<String, String> breakers = new java.util.TreeMap<>();
		metrics.path("circuit_breakers").properties().forEach((e) -> breakers.put(e.getKey(), e.getValue().asString()));
		return new Signals(number(metrics, "response_time_ms"), number(metrics, "error_rate"), number(metrics, "cpu"),
				number(metrics, "memory"), number(metrics, "queue_depth"), Map.copyOf(breakers));
	}

	private static Double number(tools.jackson.databind.JsonNode metrics, String field) {
		tools.jackson.databind.JsonNode value = metrics.get(field);
		return (value != null && value.isNumber()) ? value.asDouble() : null;
	}

	private final JdbcTemplate jdbc;

	private final Checkpoints checkpoints;

	AgentGraph(JdbcTemplate jdbc, Checkpoints checkpoints) {
		this.jdbc = jdbc;
		this.checkpoints = checkpoints;
	}

	/** Every registered agent with its dependencies and state, by id. */
	public Map<String, Node> graph() {
		Map<String, Node> nodes = new HashMap<>();
		this.jdbc.query("SELECT " + NODE_COLUMNS + " FROM agents", (rs) -> {
			Node node = node(rs, 0);
			nodes.put(node.id(), node);
		});
		return nodes;
	}

	/**
	 * The newest checkpoint of each of the agent's tasks, for a restart to resume from.
	 */
	public List<CheckpointRef> checkpoints(String agentId) {
		return this.checkpoints.latest(agentId)
			.stream()
			.map((c) -> new CheckpointRef(c.task(), c.version(), c.sha256(),
					"/api/agents/" + agentId + "/checkpoints/" + c.task() + "?version=" + c.version()))
			.toList();
	}

	/**
	 * Recovery has restarted this agent: it is not judged silent, nor probed, until it is
	 * heard from again or {@code grace} has passed.
	 * @param id the agent
	 * @param grace the longest its restart may keep it quiet
	 * @param inFlight how long after now a heartbeat may still be one that was on its way
	 * before the restart: only a later one ends the grace
	 */
	public void expectRestart(String id, java.time.Duration grace, java.time.Duration inFlight) {
		this.jdbc.update("""
				UPDATE agents SET quiet_since = now() + ? * interval '1 millisecond',
				    quiet_until = now() + ? * interval '1 millisecond' WHERE id = ?
				""", inFlight.toMillis(), grace.toMillis(), id);
	}

	/**
	 * Notes that the agent answered a basic verb with {@code 409} (not applicable there):
	 * recovery plans it no more for the agent until it registers again.
	 * @param id the agent
	 * @param verb the verb it refused
	 */
	public void refused(String id, String verb) {
		if (BASIC_VERBS.contains(verb)) {
			this.jdbc.update("""
					UPDATE agents SET verbs_refused = array_append(verbs_refused, ?)
					WHERE id = ? AND NOT (? = ANY (verbs_refused))
					""", verb, id, verb);
		}
	}

	/**
	 * The agent's heartbeat interval as Rebound learned it (the moving average of the
	 * intervals observed on Rebound's clock), or empty before it has seen two.
	 */
	public java.util.Optional<java.time.Duration> heartbeatInterval(String id) {
		return this.jdbc
			.queryForList("SELECT interval_ms FROM agents WHERE id = ? AND interval_ms IS NOT NULL", Long.class, id)
			.stream()
			.findFirst()
			.map(java.time.Duration::ofMillis);
	}

	/** The agent's labels, empty when it has none or is not registered. */
	public Map<String, String> labels(String id) {
		Map<String, String> labels = new java.util.TreeMap<>();
		this.jdbc.query("SELECT key, value FROM agents, jsonb_each_text(labels) WHERE id = ?", (rs) -> {
			labels.put(rs.getString(1), rs.getString(2));
		}, id);
		return labels;
	}

	/** One agent as the graph sees it. */
	public java.util.Optional<Node> node(String id) {
		return this.jdbc.query("SELECT " + NODE_COLUMNS + " FROM agents WHERE id = ?", AgentGraph::node, id)
			.stream()
			.findFirst();
	}

	/** The agents whose label {@code group} is this, by id. */
	public List<Node> group(String group) {
		return this.jdbc.query("SELECT " + NODE_COLUMNS + " FROM agents WHERE labels ->> 'group' = ? ORDER BY id",
				AgentGraph::node, group);
	}

}
