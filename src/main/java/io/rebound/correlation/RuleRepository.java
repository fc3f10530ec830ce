package io.rebound.correlation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The stored rules. Every change bumps one sequence, the rule set's version, which every
 * instance watches to reload.
 */
@Component
class RuleRepository {

	/**
	 * Strict, so that a misspelt key in a rule is an error, not a silently ignored line.
	 */
	static final JsonMapper JSON = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.changeDefaultPropertyInclusion(
				(incl) -> incl.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
		.build();

	/**
	 * A stored rule.
	 *
	 * @param rule its definition
	 * @param origin {@code builtin}, {@code file} or {@code api}
	 * @param updatedBy who changed it last
	 * @param updatedAt when
	 */
	record StoredRule(Rule rule, String origin, String updatedBy, Instant updatedAt) {
	}

	private static final RowMapper<StoredRule> ROW = (rs, n) -> new StoredRule(
			JSON.readValue(rs.getString("definition"), Rule.class).withEnabled(rs.getBoolean("enabled")),
			rs.getString("origin"), rs.getString("updated_by"), rs.getTimestamp("updated_at").toInstant());

	private final JdbcTemplate jdbc;

	RuleRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	List<StoredRule> all() {
		return this.jdbc.query("SELECT * FROM correlation_rules ORDER BY id", ROW);
	}

	Optional<StoredRule> find(String id) {
		return this.jdbc.query("SELECT * FROM correlation_rules WHERE id = ?", ROW, id).stream().findFirst();
	}

	long version() {
		Long version = this.jdbc.queryForObject(
				"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM correlation_rules_version", Long.class);
		return (version != null) ? version : 0;
	}

	/**
	 * Stores a rule as a person or the API changed it.
	 * @return whether it is new
	 */
	boolean save(Rule rule, String origin, String by) {
		Integer existed = this.jdbc.queryForObject("SELECT count(*) FROM correlation_rules WHERE id = ?", Integer.class,
				rule.id());
		this.jdbc.update("""
				INSERT INTO correlation_rules (id, origin, definition, enabled, updated_by)
				VALUES (?, ?, ?::jsonb, ?, ?)
				ON CONFLICT (id) DO UPDATE SET origin = EXCLUDED.origin, definition = EXCLUDED.definition,
				    enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by, updated_at = now()
				""", rule.id(), origin, JSON.writeValueAsString(rule.withEnabled(rule.isEnabled())), rule.isEnabled(),
				by);
		bump();
		return existed == null || existed == 0;
	}

	/**
	 * Stores a shipped or file rule unless the API has changed it since: an operator's
	 * change outlives restarts.
	 */
	void seed(Rule rule, String origin) {
		int changed = this.jdbc.update("""
				INSERT INTO correlation_rules (id, origin, definition, enabled, updated_by)
				VALUES (?, ?, ?::jsonb, ?, ?)
				ON CONFLICT (id) DO UPDATE SET origin = EXCLUDED.origin, definition = EXCLUDED.definition,
				    enabled = EXCLUDED.enabled, updated_by = EXCLUDED.updated_by, updated_at = now()
				WHERE correlation_rules.origin <> 'api'
				  AND correlation_rules.definition IS DISTINCT FROM EXCLUDED.definition
				""", rule.id(), origin, JSON.writeValueAsString(rule), rule.isEnabled(), origin);
		if (changed > 0) {
			bump();
		}
	}

	boolean delete(String id) {
		int deleted = this.jdbc.update("DELETE FROM correlation_rules WHERE id = ?", id);
		bump();
		return deleted > 0;
	}

	private void bump() {
		this.jdbc.queryForObject("SELECT nextval('correlation_rules_version')", Long.class);
	}

}
