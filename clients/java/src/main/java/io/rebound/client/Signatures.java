package io.rebound.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Rebound's signature of a control call: {@code v1=} and the hex HMAC-SHA256, under the
 * agent's control secret, of {@code METHOD \n PATH \n TIMESTAMP \n BODY}.
 */
public final class Signatures {

	private Signatures() {
	}

	public static String sign(String secret, String method, String path, String timestamp, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((method + "\n" + path + "\n" + timestamp + "\n").getBytes(StandardCharsets.UTF_8));
			return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Every Java platform has HmacSHA256", ex);
		}
	}

	/**
	 * Why the call must be refused, or {@code null} when it is Rebound's own and fresh.
	 * @param secret the agent's control secret, or {@code null} when none is configured
	 * @param nowSeconds this host's clock, Unix seconds
	 * @param maxSkewSeconds how far the timestamp may be from it
	 */
	static String refusal(String secret, String method, String path, String timestamp, String signature,
			byte[] body, long nowSeconds, long maxSkewSeconds) {
		if (secret == null || secret.isEmpty()) {
			return "no control secret is configured here (REBOUND_CONTROL_SECRET)";
		}
		if (timestamp == null || signature == null) {
			return "unsigned call";
		}
		long at;
		try {
			at = Long.parseLong(timestamp.strip());
		}
		catch (NumberFormatException ex) {
			return "bad timestamp";
		}
		if (Math.abs(nowSeconds - at) > maxSkewSeconds) {
			return "timestamp " + at + " is " + (nowSeconds - at) + " s from this host's clock (more than "
					+ maxSkewSeconds + " s): stale, or a clock is wrong";
		}
		byte[] expected = sign(secret, method, path, timestamp.strip(), body).getBytes(StandardCharsets.UTF_8);
		if (!MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.UTF_8))) {
			return "wrong signature";
		}
		return null;
	}

}
