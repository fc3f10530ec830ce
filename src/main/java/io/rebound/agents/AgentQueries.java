package io.rebound.agents;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import io.rebound.shared.Timestamps;
import io.rebound.agents.AgentViews.AgentView;
import io.rebound.web.Cursor;
import io.rebound.web.Page;
import io.rebound.agents.AgentViews.Transition;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The read side of the agents API: agents by id, filtered, paged by id.
 */
@Component
class AgentQueries {

	/**
	 * What {@code GET /api/agents} narrows to; {@code null} means no condition.
	 *
	 * @param state health state
	 * @param kind kind
	 * @param criticality criticality
	 * @param labelKey a label that must be present
	 * @param labelValue its value, or {@code null} for any
	 */
	record AgentFilter(HealthState state, String kind, String criticality, String labelKey, String labelValue) {
	}

	private final NamedParameterJdbcTemplate jdbc;

	private static final String LISTING = "agents";

	AgentQueries(NamedParameterJdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	Page<AgentView> list(AgentFilter filter, String cursor, int limit) {
		MapSqlParameterSource params = new MapSqlParameterSource("after",
				(cursor != null) ? Cursor.decode(LISTING, cursor, 1).text(0) : "")
			.addValue("limit", limit + 1);
		StringBuilder where = new StringBuilder("id > :after");
		if (filter.state() != null) {
			where.append(" AND state = :state");
			params.addValue("state", filter.state().wire());
		}
		if (filter.kind() != null) {
			where.append(" AND kind = :kind");
			params.addValue("kind", filter.kind());
		}
		if (filter.criticality() != null) {
			where.append(" AND criticality = :criticality");
			params.addValue("criticality", filter.criticality());
		}
		if (filter.labelKey() != null) {
			where.append((filter.labelValue() != null) ? " AND labels ->> :labelKey = :labelValue"
					: " AND labels ->> :labelKey IS NOT NULL");
			params.addValue("labelKey", filter.labelKey()).addValue("labelValue", filter.labelValue());
		}
		List<AgentView> rows = this.jdbc.query("SELECT * FROM agents WHERE " + where + " ORDER BY id LIMIT :limit",
				params, (rs, n) -> agent(rs));
		boolean more = rows.size() > limit;
		List<AgentView> shown = more ? rows.subList(0, limit) : rows;
		return new Page<>(shown, more ? Cursor.encode(LISTING, shown.get(shown.size() - 1).id()) : null);
	}

	Optional<AgentView> get(String id) {
		return this.jdbc
			.query("SELECT * FROM agents WHERE id = :id", new MapSqlParameterSource("id", id), (rs, n) -> agent(rs))
			.stream()
			.findFirst();
	}

	List<Transition> history(String id, int limit) {
		return this.jdbc.query("""
				SELECT from_state, to_state, cause, reason, at FROM agent_health_history
				WHERE agent_id = :id ORDER BY id DESC LIMIT :limit
				""", new MapSqlParameterSource("id", id).addValue("limit", limit),
				(rs, n) -> new Transition(HealthState.fromWire(rs.getString("from_state")),
						HealthState.fromWire(rs.getString("to_state")), rs.getString("cause"), rs.getString("reason"),
						Timestamps.instant(rs.getTimestamp("at"))));
	}

	List<AgentViews.PredictionView> predictions(String id, int limit) {
		return this.jdbc.query("""
				SELECT * FROM agent_predictions WHERE agent_id = :id ORDER BY predicted_at DESC, id DESC LIMIT :limit
				""", new MapSqlParameterSource("id", id).addValue("limit", limit),
				(rs, n) -> new AgentViews.PredictionView(rs.getLong("id"), rs.getString("metric"),
						Timestamps.instant(rs.getTimestamp("predicted_at")), rs.getDouble("value"),
						rs.getDouble("limit_value"), rs.getDouble("slope_per_second"),
						Timestamps.instant(rs.getTimestamp("crosses_at")), rs.getDouble("confidence"),
						rs.getString("outcome"), Timestamps.instant(rs.getTimestamp("outcome_at"))));
	}

	private static AgentView agent(ResultSet rs) throws SQLException {
		return new AgentView(rs.getString("id"), rs.getString("kind"),
				List.of((String[]) rs.getArray("depends_on").getArray()), rs.getString("control_url"),
				rs.getString("health_url"), rs.getString("criticality"), rs.getString("policy"),
				rs.getString("version"), rs.getString("labels"), rs.getString("registered_by"),
				Timestamps.instant(rs.getTimestamp("registered_at")), Timestamps.instant(rs.getTimestamp("updated_at")),
				HealthState.fromWire(rs.getString("state")), Timestamps.instant(rs.getTimestamp("state_since")),
				rs.getString("state_reason"), Timestamps.instant(rs.getTimestamp("last_heartbeat_at")),
				rs.getObject("interval_ms", Long.class), rs.getString("last_metrics"),
				rs.getObject("clock_skew_ms", Long.class), Timestamps.instant(rs.getTimestamp("clock_skew_at")),
				List.of((String[]) rs.getArray("verbs").getArray()),
				List.of((String[]) rs.getArray("verbs_refused").getArray()), rs.getString("previous_version"),
				Timestamps.instant(rs.getTimestamp("version_changed_at")));
	}

}
