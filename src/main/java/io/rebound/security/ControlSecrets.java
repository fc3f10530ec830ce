package io.rebound.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.modulith.NamedInterface;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The secret per agent that Rebound signs its control calls with, and the signature
 * itself: {@code v1=} and the hex HMAC-SHA256, under the secret, of
 * {@code METHOD \n PATH \n TIMESTAMP \n BODY}. The agent's client checks it and refuses
 * anything unsigned, wrongly signed or stale. A secret is issued to the operator together
 * with the agent's key, and can be rotated on its own.
 */
@Component
@NamedInterface("control")
public class ControlSecrets {

	/** The header with the time of signing, in Unix seconds. */
	public static final String TIMESTAMP_HEADER = "X-Rebound-Timestamp";

	/** The header with the signature. */
	public static final String SIGNATURE_HEADER = "X-Rebound-Signature";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcTemplate jdbc;

	ControlSecrets(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The agent's secret, if one was issued. */
	public Optional<String> of(String agentId) {
		return this.jdbc.queryForList("SELECT secret FROM control_secrets WHERE agent_id = ?", String.class, agentId)
			.stream()
			.findFirst();
	}

	/** Each agent's secret: the one it has, or a new one. */
	Map<String, String> ensure(List<String> agentIds, String by) {
		Map<String, String> secrets = new LinkedHashMap<>();
		for (String agent : agentIds) {
			this.jdbc.update("""
					INSERT INTO control_secrets (agent_id, secret, created_by) VALUES (?, ?, ?)
					ON CONFLICT (agent_id) DO NOTHING
					""", agent, newSecret(), by);
			secrets.put(agent, of(agent).orElseThrow());
		}
		return secrets;
	}

	/** A new secret for the agent; the old one stops working at once. */
	String rotate(String agentId, String by) {
		String secret = newSecret();
		this.jdbc.update("""
				INSERT INTO control_secrets (agent_id, secret, created_by) VALUES (?, ?, ?)
				ON CONFLICT (agent_id) DO UPDATE SET secret = EXCLUDED.secret, created_by = EXCLUDED.created_by,
				    created_at = now()
				""", agentId, secret, by);
		return secret;
	}

	/**
	 * The signature of a control call.
	 * @param secret the agent's secret
	 * @param method the HTTP method, upper case
	 * @param path the request's path, as sent
	 * @param timestamp the time of signing, Unix seconds
	 * @param body the body's bytes
	 * @return {@code v1=<64 hex digits>}
	 */
	public static String sign(String secret, String method, String path, long timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((method + "\n" + path + "\n" + timestamp + "\n").getBytes(StandardCharsets.UTF_8));
			return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("Every Java platform has HmacSHA256", ex);
		}
	}

	private static String newSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return "rbs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
