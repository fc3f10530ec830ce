package io.rebound.recovery;

import java.util.HashSet;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which agents have a recovery run that is not over (neither succeeded nor cancelled).
 */
@Component
public class RecoveringAgents {

	private final JdbcTemplate jdbc;

	RecoveringAgents(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The targets of the runs that are not over, now. */
	public Set<String> now() {
		return new HashSet<>(this.jdbc.queryForList(
				"SELECT DISTINCT target FROM recovery_runs WHERE status NOT IN ('succeeded', 'cancelled')",
				String.class));
	}

}
