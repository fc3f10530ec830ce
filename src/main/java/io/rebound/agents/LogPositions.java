package io.rebound.agents;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The log scanner's positions in PostgreSQL, so a restart resumes where it stopped.
 */
@Component
class LogPositions {

	/**
	 * Where the scanner stands in one file.
	 *
	 * @param path the file
	 * @param fileKey the file's identity (device and inode), which survives renames
	 * @param position bytes read and published
	 * @param generation rotations and truncations seen
	 * @param suppressed blocks over the rate limit so far
	 * @param updatedAt when it last moved
	 */
	record Position(String path, String fileKey, long position, long generation, long suppressed, Instant updatedAt) {
	}

	private final JdbcTemplate jdbc;

	LogPositions(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Position> load(Path file) {
		return all("WHERE path = ?", file.toString()).stream().findFirst();
	}

	List<Position> all() {
		return all("", new Object[0]);
	}

	private List<Position> all(String where, Object... args) {
		return this.jdbc.query(
				"SELECT path, file_key, position, generation, suppressed, updated_at FROM log_positions " + where
						+ " ORDER BY path",
				(rs, n) -> new Position(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
						rs.getTimestamp(6).toInstant()),
				args);
	}

	void save(Path file, String fileKey, long position, long generation, long suppressed) {
		this.jdbc.update("""
				INSERT INTO log_positions (path, file_key, position, generation, suppressed) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (path) DO UPDATE SET file_key = EXCLUDED.file_key, position = EXCLUDED.position,
				    generation = EXCLUDED.generation, suppressed = EXCLUDED.suppressed, updated_at = now()
				WHERE (log_positions.file_key, log_positions.position, log_positions.generation,
				       log_positions.suppressed)
				      IS DISTINCT FROM (EXCLUDED.file_key, EXCLUDED.position, EXCLUDED.generation, EXCLUDED.suppressed)
				""", file.toString(), fileKey, position, generation, suppressed);
	}

}
