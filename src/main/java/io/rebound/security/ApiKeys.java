package io.rebound.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.rebound.shared.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * API keys: {@code rbk_<prefix>_<secret>}, where the prefix finds the key and only a
 * SHA-256 hash of the whole key is stored (the secret is 32 random bytes, so a slow hash
 * would add nothing). A key's secret is shown once, when it is created or rotated.
 */
@Component
class ApiKeys {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	/**
	 * A key as listed: never its secret.
	 *
	 * @param id its id
	 * @param name what it is for
	 * @param owner who holds it
	 * @param role {@code agent}, {@code viewer} or {@code operator}
	 * @param agentIds for an agent key, the agents it may speak for
	 * @param prefix its public part, as it appears in the key
	 * @param createdBy who created it
	 * @param createdAt when
	 * @param lastUsedAt when it was last used (to the minute), or {@code null}
	 * @param revokedAt when it was revoked, or {@code null}
	 * @param replacedBy the key that replaced it on rotation, or {@code null}
	 */
	record Key(UUID id, String name, String owner, String role, List<String> agentIds, String prefix, String createdBy,
			Instant createdAt, Instant lastUsedAt, Instant revokedAt, UUID replacedBy) {
	}

	private final JdbcTemplate jdbc;

	private final Map<String, Long> lastUseWritten = new ConcurrentHashMap<>();

	ApiKeys(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The caller a presented key stands for, if it is a live key. */
	Optional<Caller> authenticate(String presented) {
		String prefix = prefixOf(presented);
		if (prefix == null) {
			return Optional.empty();
		}
		List<Map<String, Object>> rows = this.jdbc.queryForList(
				"SELECT id, owner, role, agent_ids, secret_hash FROM api_keys WHERE prefix = ? AND revoked_at IS NULL",
				prefix);
		if (rows.isEmpty()) {
			return Optional.empty();
		}
		Map<String, Object> row = rows.get(0);
		byte[] expected = HexFormat.of().parseHex((String) row.get("secret_hash"));
		if (!MessageDigest.isEqual(expected, sha256(presented))) {
			return Optional.empty();
		}
		touch(prefix);
		String[] agents = (String[]) toArray(row.get("agent_ids"));
		return Optional
			.of(new Caller((String) row.get("owner"), (String) row.get("role"), Set.of(agents), "key:" + prefix));
	}

	/**
	 * Creates a key.
	 * @return the key's listing and, once only, the key itself
	 */
	Map.Entry<Key, String> create(String name, String owner, String role, List<String> agentIds, String by) {
		String prefix = random(8);
		String secret = "rbk_" + prefix + "_" + random(43);
		UUID id = UUID.randomUUID();
		this.jdbc.update("""
				INSERT INTO api_keys (id, name, owner, role, agent_ids, prefix, secret_hash, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				""", id, name, owner, role, agentIds.toArray(String[]::new), prefix,
				HexFormat.of().formatHex(sha256(secret)), by);
		return Map.entry(find(id).orElseThrow(), secret);
	}

	/** Stores the operator-given bootstrap key (idempotent). */
	void bootstrap(String key) {
		String prefix = prefixOf(key);
		if (prefix == null) {
			throw new IllegalStateException(
					"rebound.security.bootstrap-key must look like rbk_<8 letters or digits>_<at least 32 more>");
		}
		this.jdbc.update("""
				INSERT INTO api_keys (id, name, owner, role, prefix, secret_hash, created_by)
				VALUES (?, 'bootstrap', 'bootstrap', 'operator', ?, ?, 'configuration')
				ON CONFLICT (prefix) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, revoked_at = NULL
				""", UUID.randomUUID(), prefix, HexFormat.of().formatHex(sha256(key)));
	}

	List<Key> list() {
		return this.jdbc.query("SELECT * FROM api_keys ORDER BY created_at, id", ApiKeys::key);
	}

	Optional<Key> find(UUID id) {
		return this.jdbc.query("SELECT * FROM api_keys WHERE id = ?", ApiKeys::key, id).stream().findFirst();
	}

	boolean revoke(UUID id, String by, UUID replacedBy) {
		return this.jdbc.update("""
				UPDATE api_keys SET revoked_at = now(), revoked_by = ?, replaced_by = ?
				WHERE id = ? AND revoked_at IS NULL
				""", by, replacedBy, id) > 0;
	}

	private void touch(String prefix) {
		long minute = System.currentTimeMillis() / 60_000;
		Long written = this.lastUseWritten.put(prefix, minute);
		if (written == null || written != minute) {
			this.jdbc.update("UPDATE api_keys SET last_used_at = now() WHERE prefix = ?", prefix);
		}
	}

	static String prefixOf(String key) {
		if (key == null || !key.startsWith("rbk_") || key.length() < 4 + 8 + 1 + 32 || key.charAt(12) != '_') {
			return null;
		}
		String prefix = key.substring(4, 12);
		return prefix.chars().allMatch((c) -> ALPHABET.indexOf(c) >= 0) ? prefix : null;
	}

	private static String random(int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return text.toString();
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	private static Object toArray(Object sqlArray) {
		try {
			return ((java.sql.Array) sqlArray).getArray();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Key key(ResultSet rs, int n) throws SQLException {
		return new Key(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("owner"),
				rs.getString("role"), List.of((String[]) rs.getArray("agent_ids").getArray()), rs.getString("prefix"),
				rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
				Timestamps.instant(rs.getTimestamp("last_used_at")), Timestamps.instant(rs.getTimestamp("revoked_at")),
				rs.getObject("replaced_by", UUID.class));
	}

}
