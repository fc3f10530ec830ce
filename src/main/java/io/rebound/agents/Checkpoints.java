package io.rebound.agents;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.rebound.shared.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Agents' task checkpoints: versioned per agent and task, each with the SHA-256 of the
 * bytes the agent sent, checked again on every read; the newest
 * {@code rebound.agents.checkpoints.versions-kept} versions of a task are kept, and none
 * older than {@code retention}.
 */
@Component
class Checkpoints {

	private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

	/**
	 * One version of a task's checkpoint, without its body.
	 *
	 * @param agentId the agent
	 * @param task the task
	 * @param version its version, from 1
	 * @param sha256 the SHA-256 of its body, hex
	 * @param size its body's size in bytes
	 * @param createdAt when it was saved
	 * @param createdBy who saved it
	 */
	record Saved(String agentId, String task, int version, String sha256, int size, Instant createdAt,
			String createdBy) {
	}

	/**
	 * A version with its body, as it was sent.
	 *
	 * @param saved the version
	 * @param body its bytes
	 * @param intact whether they still have the SHA-256 they were saved with
	 */
	record Stored(Saved saved, byte[] body, boolean intact) {
	}

	private static final String SAVED = "agent_id, task, version, sha256, size, created_at, created_by";

	private static final RowMapper<Saved> ROW = (rs, n) -> new Saved(rs.getString("agent_id"), rs.getString("task"),
			rs.getInt("version"), rs.getString("sha256"), rs.getInt("size"),
			Timestamps.instant(rs.getTimestamp("created_at")), rs.getString("created_by"));

	private final JdbcTemplate jdbc;

	private final AgentsProperties.Checkpoints settings;

	Checkpoints(JdbcTemplate jdbc, AgentsProperties properties) {
		this.jdbc = jdbc;
		this.settings = properties.checkpoints();
	}

	/** Saves the next version of the task's checkpoint; older ones beyond the kept. */
	@Transactional
	Saved save(String agentId, String task, byte[] body, String by) {
		// one writer per task at a time: versions are consecutive
		this.jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext(?))", agentId + "/" + task);
		Saved saved = this.jdbc.queryForObject("""
				INSERT INTO agent_checkpoints (agent_id, task, version, body, sha256, size, created_by)
				SELECT ?, ?, coalesce(max(version), 0) + 1, ?, ?, ?, ? FROM agent_checkpoints
				WHERE agent_id = ? AND task = ?
				RETURNING %s
				""".formatted(SAVED), ROW, agentId, task, body, sha256(body), body.length, by, agentId, task);
		this.jdbc.update("DELETE FROM agent_checkpoints WHERE agent_id = ? AND task = ? AND version <= ?", agentId,
				task, saved.version() - this.settings.versionsKept());
		return saved;
	}

	/** The newest version, or the one asked for. */
	Optional<Stored> read(String agentId, String task, Integer version) {
		return this.jdbc.query("""
				SELECT %s, body FROM agent_checkpoints WHERE agent_id = ? AND task = ?
				  AND (?::int IS NULL OR version = ?)
				ORDER BY version DESC LIMIT 1
				""".formatted(SAVED), (rs, n) -> {
			byte[] body = rs.getBytes("body");
			Saved saved = ROW.mapRow(rs, n);
			return new Stored(saved, body, sha256(body).equals(saved.sha256()));
		}, agentId, task, version, version).stream().findFirst();
	}

	/** The newest version of each of the agent's tasks, by task. */
	List<Saved> latest(String agentId) {
		return this.jdbc.query("""
				SELECT DISTINCT ON (task) %s FROM agent_checkpoints WHERE agent_id = ?
				ORDER BY task, version DESC
				""".formatted(SAVED), ROW, agentId);
	}

	/** Every version kept of a task, newest first. */
	List<Saved> versions(String agentId, String task) {
		return this.jdbc.query("SELECT %s FROM agent_checkpoints WHERE agent_id = ? AND task = ? ORDER BY version DESC"
			.formatted(SAVED), ROW, agentId, task);
	}

	/** Drops every version of a task (it is done, or abandoned); how many. */
	int delete(String agentId, String task) {
		return this.jdbc.update("DELETE FROM agent_checkpoints WHERE agent_id = ? AND task = ?", agentId, task);
	}

	@Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
	void expire() {
		try {
			int dropped = this.jdbc.update("DELETE FROM agent_checkpoints WHERE created_at < ?",
					Timestamps.timestamp(Instant.now().minus(this.settings.retention())));
			if (dropped > 0) {
				log.info("Dropped {} checkpoint versions older than {}", dropped, this.settings.retention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Dropping old checkpoints failed; tried again in an hour: {}", ex.toString());
		}
	}

	static String sha256(byte[] body) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
