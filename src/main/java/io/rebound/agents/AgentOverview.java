package io.rebound.agents;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The agents feature's summary for diagnostics: how many agents are in each state, the
 * worst of them first, and probing them all now.
 */
@Component
public class AgentOverview {

	/**
	 * An agent in trouble.
	 *
	 * @param id the agent
	 * @param state its state
	 * @param since since when
	 * @param reason why
	 * @param criticality how much it matters
	 */
	public record Troubled(String id, HealthState state, Instant since, String reason, String criticality) {
	}

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
	 * Where the log scanner stands in one file.
	 *
	 * @param path the file
	 * @param position bytes read
	 * @param suppressed blocks over the rate limit so far
	 * @param updatedAt when it last moved
	 */
	public record LogPosition(String path, long position, long suppressed, Instant updatedAt) {
	}

	private final JdbcTemplate jdbc;

	private final AgentStore store;

	private final HealthProber prober;

	private final HealthTracker tracker;

	private final LogPositions logPositions;

	private final Checkpoints checkpoints;

	AgentOverview(JdbcTemplate jdbc, AgentStore store, HealthProber prober, HealthTracker tracker,
			LogPositions logPositions, Checkpoints checkpoints) {
		this.checkpoints = checkpoints;
		this.jdbc = jdbc;
		this.logPositions = logPositions;
		this.store = store;
		this.prober = prober;
		this.tracker = tracker;
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
	 * @param signals what its newest heartbeat reported
	 * @param versionChangedAt when its registered version last changed (Rebound's clock),
	 * or {@code null}
	 */
	public record Node(String id, String kind, HealthState state, List<String> dependsOn, String controlUrl,
			String policy, String group, Instant lastSign, String backup, List<String> verbs, Signals signals,
			Instant versionChangedAt) {

		/** Whether it said it handles this verb; the basic ones every agent handles. */
		public boolean handles(String verb) {
			return BASIC_VERBS.contains(verb) || this.verbs.contains(verb);
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
			+ "labels ->> 'backup' AS backup, verbs, last_metrics::text AS signals, version_changed_at";

	private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
		.build();

	private static Node node(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		java.sql.Timestamp lastSign = rs.getTimestamp("last_sign");
		return new Node(rs.getString("id"), rs.getString("kind"), HealthState.fromWire(rs.getString("state")),
				List.of((String[]) rs.getArray("depends_on").getArray()), rs.getString("control_url"),
				rs.getString("policy"), rs.getString("grp"), (lastSign != null) ? lastSign.toInstant() : null,
				rs.getString("backup"), List.of((String[]) rs.getArray("verbs").getArray()),
				signals(rs.getString("signals")),
				io.rebound.shared.Timestamps.instant(rs.getTimestamp("version_changed_at")));
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
	 */
	public void expectRestart(String id, java.time.Duration grace) {
		this.jdbc.update("""
				UPDATE agents SET quiet_since = now(), quiet_until = now() + ? * interval '1 millisecond' WHERE id = ?
				""", grace.toMillis(), id);
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
		return this.jdbc.query("SELECT " + NODE_COLUMNS + " FROM agents WHERE id = ?", AgentOverview::node, id)
			.stream()
			.findFirst();
	}

	/** The agents whose label {@code group} is this, by id. */
	public List<Node> group(String group) {
		return this.jdbc.query("SELECT " + NODE_COLUMNS + " FROM agents WHERE labels ->> 'group' = ? ORDER BY id",
				AgentOverview::node, group);
	}

	public List<LogPosition> logPositions() {
		return this.logPositions.all()
			.stream()
			.map((p) -> new LogPosition(p.path(), p.position(), p.suppressed(), p.updatedAt()))
			.toList();
	}

	/**
	 * Seconds since the oldest last heartbeat among agents expected to heartbeat; 0
	 * without any.
	 */
	public double oldestHeartbeatAgeSeconds() {
		Double age = this.jdbc.queryForObject("""
				SELECT coalesce(extract(epoch FROM now() - min(last_heartbeat_at)), 0) FROM agents
				WHERE state IN ('healthy', 'degraded', 'critical') AND last_heartbeat_at IS NOT NULL
				""", Double.class);
		return (age != null) ? age : 0;
	}

	/**
	 * An agent whose clock is off.
	 *
	 * @param id the agent
	 * @param skewMs the median of received − occurred over its recent events (positive:
	 * its clock is behind)
	 * @param measuredAt when
	 */
	public record Skewed(String id, long skewMs, Instant measuredAt) {
	}

	/** Agents whose clocks are off by more than {@code thresholdMs}, the worst first. */
	public List<Skewed> clockSkewed(long thresholdMs, int limit) {
		return this.jdbc.query("""
				SELECT id, clock_skew_ms, clock_skew_at FROM agents WHERE abs(clock_skew_ms) > ?
				ORDER BY abs(clock_skew_ms) DESC, id LIMIT ?
				""", (rs, n) -> new Skewed(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()), thresholdMs,
				limit);
	}

	/** How many agents' clocks are off by more than {@code thresholdMs}. */
	public long countClockSkewed(long thresholdMs) {
		Long count = this.jdbc.queryForObject("SELECT count(*) FROM agents WHERE abs(clock_skew_ms) > ?", Long.class,
				thresholdMs);
		return (count != null) ? count : 0;
	}

	public Map<HealthState, Long> countByState() {
		Map<HealthState, Long> counts = new EnumMap<>(HealthState.class);
		this.jdbc.query("SELECT state, count(*) FROM agents GROUP BY state", (rs) -> {
			counts.put(HealthState.fromWire(rs.getString(1)), rs.getLong(2));
		});
		return counts;
	}

	/**
	 * Failed first, then critical, then degraded; the more critical agents first within
	 * each.
	 */
	public List<Troubled> worst(int limit) {
		return this.jdbc.query(
				"""
						SELECT id, state, state_since, state_reason, criticality FROM agents
						WHERE state IN ('failed', 'critical', 'degraded')
						ORDER BY CASE state WHEN 'failed' THEN 0 WHEN 'critical' THEN 1 ELSE 2 END,
						         CASE criticality WHEN 'essential' THEN 0 WHEN 'critical' THEN 1 WHEN 'important' THEN 2 ELSE 3 END,
						         state_since
						LIMIT ?
						""",
				(rs, n) -> new Troubled(rs.getString(1), HealthState.fromWire(rs.getString(2)),
						rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)),
				limit);
	}

	/**
	 * Probes every agent with a {@code health_url} now, whatever its schedule, and
	 * applies the answers.
	 * @return how many were probed
	 */
	public int probeAllNow() {
		List<AgentStore.ProbeTarget> targets = this.store.allProbeTargets();
		if (!targets.isEmpty()) {
			this.tracker.probes(this.prober.probe(targets));
		}
		return targets.size();
	}

}
