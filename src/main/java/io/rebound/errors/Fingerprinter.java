package io.rebound.errors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Groups events into errors: source + type + the message with volatile parts normalized,
 * hashed with SHA-256. The error id is the hash's first 128 bits as a version-8 UUID, so
 * anyone with the event can compute it at once (the REST publisher answers with it before
 * the event is stored).
 */
public final class Fingerprinter {

	/** Bumped whenever normalization changes, since that changes fingerprints. */
	public static final int VERSION = 1;

	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	});

	/**
	 * Default fingerprints by their inputs: an error's events share them, so most events
	 * find theirs here rather than hashing again (SHA-256 was a third of the
	 * fingerprinting stage). Bounded, since inputs are not: emptied when full.
	 */
	private static final Map<Key, Fingerprint> KNOWN = new ConcurrentHashMap<>();

	private static final int KNOWN_SIZE = 10_000;

	private record Key(String source, String type, String message) {
	}

	private Fingerprinter() {
	}

	public static Fingerprint of(String source, String type, String message) {
		Key key = new Key(source, type, MessageNormalizer.normalize(message));
		Fingerprint known = KNOWN.get(key);
		if (known != null) {
			return known;
		}
		Fingerprint.Inputs inputs = new Fingerprint.Inputs(VERSION, "default", source, type, key.message(), null);
		byte[] hash = sha256(
				"v" + inputs.version() + '\n' + inputs.source() + '\n' + inputs.type() + '\n' + inputs.message());
		Fingerprint fingerprint = new Fingerprint(HexFormat.of().formatHex(hash), uuidOf(hash), inputs);
		if (KNOWN.size() >= KNOWN_SIZE) {
			KNOWN.clear();
		}
		KNOWN.put(key, fingerprint);
		return fingerprint;
	}

	/**
	 * The fingerprint a rule asks for: its parts, each {@code source}, {@code type},
	 * {@code message} (normalized), {@code cause}, {@code group} or literal text, in
	 * place of the default inputs.
	 * @param base the event's default fingerprint
	 * @param classification the rule's verdict, naming the parts
	 */
	public static Fingerprint byRule(Fingerprint base, Classification classification) {
		Fingerprint.Inputs in = base.inputs();
		List<String> parts = new ArrayList<>(classification.fingerprint().size());
		StringBuilder text = new StringBuilder("v").append(VERSION).append("\nrule:").append(classification.ruleId());
		for (String part : classification.fingerprint()) {
			String value = switch (part) {
				case "source" -> in.source();
				case "type" -> in.type();
				case "message" -> in.message();
				case "cause" -> String.valueOf(classification.cause());
				case "group" -> String.valueOf(classification.groupKey());
				default -> part;
			};
			parts.add(value);
			text.append('\n').append(value);
		}
		Fingerprint.Inputs inputs = new Fingerprint.Inputs(VERSION, "rule:" + classification.ruleId(), in.source(),
				in.type(), in.message(), parts);
		byte[] hash = sha256(text.toString());
		return new Fingerprint(HexFormat.of().formatHex(hash), uuidOf(hash), inputs);
	}

	private static UUID uuidOf(byte[] hash) {
		ByteBuffer buffer = ByteBuffer.wrap(hash);
		long high = (buffer.getLong() & ~0xF000L) | 0x8000L; // version 8: custom
		long low = (buffer.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF
		return new UUID(high, low);
	}

	private static byte[] sha256(String text) {
		return SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
	}

}
