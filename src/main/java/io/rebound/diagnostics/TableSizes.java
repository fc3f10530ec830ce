package io.rebound.diagnostics;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How much of the disk each of Rebound's tables takes (its indexes and TOAST included).
 */
@Component
class TableSizes {

	/**
	 * One table.
	 *
	 * @param table its name
	 * @param bytes what it takes on disk, indexes included
	 * @param rows PostgreSQL's estimate of its live rows
	 */
	record TableSize(String table, long bytes, long rows) {
	}

	private final JdbcTemplate jdbc;

	TableSizes(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Every table of the schema, the largest first; a partitioned table's partitions
	 * ({@code error_events}' days) are summed under its name.
	 */
	List<TableSize> all() {
		return this.jdbc.query("""
				SELECT coalesce(parent.relname, s.relname) AS name, sum(pg_total_relation_size(s.relid)) AS bytes,
				       sum(s.n_live_tup) AS live
				FROM pg_stat_user_tables s
				LEFT JOIN pg_inherits i ON i.inhrelid = s.relid
				LEFT JOIN pg_class parent ON parent.oid = i.inhparent
				WHERE s.schemaname = current_schema()
				GROUP BY 1 ORDER BY bytes DESC, name
				""", (rs, n) -> new TableSize(rs.getString(1), rs.getLong(2), rs.getLong(3)));
	}

	long database() {
		Long bytes = this.jdbc.queryForObject("SELECT pg_database_size(current_database())", Long.class);
		return (bytes != null) ? bytes : 0;
	}

}
