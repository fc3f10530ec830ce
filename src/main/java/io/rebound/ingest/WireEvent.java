package io.rebound.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.rebound.errors.Category;
import io.rebound.errors.Severity;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fast path for the one shape nearly every event has: one streaming pass over the
 * record's bytes that picks out the contract's fields and keeps {@code context} as the
 * bytes the agent sent, without building a tree or re-serializing anything, then checks
 * those fields ({@link #check}).
 * <p>
 * It only ever says "this is exactly how the general path would read it" or "ask the
 * general path" ({@code null}): anything unusual — a duplicate or missing field, a
 * non-string where a string belongs, an escape in {@code context} that PostgreSQL could
 * refuse, a number {@code jsonb} could not hold, trailing bytes, malformed JSON — goes to
 * the tree and the JSON Schema, which decide and name every violation. So the two paths
 * agree on what is valid by construction ({@code WireEventTests} checks it on hundreds of
 * variants).
 *
 * @param bytes the record as sent
 * @param eventId {@code event_id} as sent, or {@code null}
 * @param source {@code source}
 * @param type {@code type}
 * @param severity {@code severity}
 * @param message {@code message}
 * @param timestamp {@code timestamp} as sent, or {@code null}
 * @param category {@code category} as sent, or {@code null}
 * @param contextJson {@code context} as the agent sent it, or {@code null}
 * @param ageMs {@code age_ms}, or 0
 */
record WireEvent(byte[] bytes, String eventId, String source, String type, String severity, String message,
		String timestamp, String category, String contextJson, long ageMs) {

	/** Larger numbers go the general way, which reads them as doubles. */
	private static final int MAX_NUMBER_CHARS = 64;

	/** The schema's {@code timestamp} pattern, matched whole (no trailing line break). */
	private static final Pattern TIMESTAMP = Pattern
		.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}:\\d{2})?");

	/**
	 * Reads the record in one pass.
	 * @return the fields, or {@code null} when the general path must read it
	 */
	static WireEvent parse(JsonMapper json, byte[] bytes) {
		try (JsonParser parser = json.createParser(bytes)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			String eventId = null;
			String source = null;
			String type = null;
			String severity = null;
			String message = null;
			String timestamp = null;
			String category = null;
			String context = null;
			long ageMs = 0;
			int seen = 0;
			String name;
			while ((name = parser.nextName()) != null) {
				int bit = switch (name) {
					case "event_id" -> 1;
					case "source" -> 2;
					case "type" -> 4;
					case "severity" -> 8;
					case "message" -> 16;
					case "timestamp" -> 32;
					case "category" -> 64;
					case "context" -> 128;
					case "age_ms" -> 256;
					default -> 0;
				};
				JsonToken value = parser.nextToken();
				if (bit == 0) {
					// unknown fields are allowed and ignored
					parser.skipChildren();
					continue;
				}
				if ((seen & bit) != 0) {
					return null;
				}
				seen |= bit;
				if (bit == 128) {
					if (value != JsonToken.START_OBJECT || (context = rawObject(parser, bytes)) == null) {
						return null;
					}
					continue;
				}
				if (bit == 256) {
					// an integer that fits, and not below 0; anything else the schema
					// judges
					if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
							|| (ageMs = parser.getIntValue()) < 0) {
						return null;
					}
					continue;
				}
				if (value != JsonToken.VALUE_STRING) {
					return null;
				}
				String text = parser.getString();
				switch (bit) {
					case 1 -> eventId = text;
					case 2 -> source = text;
					case 4 -> type = text;
					case 8 -> severity = text;
					case 16 -> message = text;
					case 32 -> timestamp = text;
					default -> category = text;
				}
			}
			if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null || (seen & 30) != 30) {
				return null;
			}
			return new WireEvent(bytes, eventId, source, type, severity, message, timestamp, category, context, ageMs);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * The object at the parser, as its bytes; {@code null} where storing them as they are
	 * could differ from storing what the tree would write: a backslash-u escape (NUL and
	 * lone surrogates, which PostgreSQL refuses, are among them) or a number too long or
	 * with an exponent.
	 */

	private static String rawObject(JsonParser parser, byte[] bytes) {
		int start = (int) parser.currentTokenLocation().getByteOffset();
		int depth = 1;
		while (depth > 0) {
			JsonToken token = parser.nextToken();
			if (token == null) {
				return null;
			}
			switch (token) {
				case START_OBJECT, START_ARRAY -> depth++;
				case END_OBJECT, END_ARRAY -> depth--;
				case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
					String number = parser.getString();
					if (number.length() > MAX_NUMBER_CHARS || number.indexOf('e') >= 0 || number.indexOf('E') >= 0) {
						return null;
					}
				}
				default -> {
				}
			}
		}
		int end = (int) parser.currentLocation().getByteOffset();
		if (start < 0 || end <= start || end > bytes.length) {
			return null;
		}
		for (int i = start; i < end - 1; i++) {
			if (bytes[i] == '\\' && bytes[i + 1] == 'u') {
				return null;
			}
		}
		return new String(bytes, start, end - start, StandardCharsets.UTF_8);
	}

	/**
	 * What the schema and the contract's other checks would say of these fields, deciding
	 * only where that is certain: each rule here is as strict as the schema's or stricter
	 * (ASCII digits only, lengths within both UTF-16 units and code points, no line
	 * breaks where the schema's {@code $} would allow one), and {@code null} hands the
	 * event to the schema.
	 */
	EventContract.Checked check(JsonMapper json, Supplier<UUID> defaultId, Instant defaultTime) {
		String source = this.source;
		String type = this.type;
		String message = this.message;
		Severity severity = Severity.fromWire(this.severity);
		if (severity == null || !isSourceId(source) || type.isEmpty() || type.length() > 64 || message.isEmpty()
				|| message.length() > EventContract.MAX_MESSAGE_BYTES
				|| (message.length() * 3 > EventContract.MAX_MESSAGE_BYTES
						&& message.getBytes(StandardCharsets.UTF_8).length > EventContract.MAX_MESSAGE_BYTES)) {
			return null;
		}
		Category given = null;
		if (this.category != null && (given = Category.fromWire(this.category)) == null) {
			return null;
		}
		UUID eventId;
		if (this.eventId == null) {
			eventId = defaultId.get();
		}
		else if (isUuid(this.eventId)) {
			eventId = UUID.fromString(this.eventId);
		}
		else {
			return null;
		}
		Instant occurredAt = defaultTime;
		if (this.timestamp != null) {
			if (!TIMESTAMP.matcher(this.timestamp).matches()) {
				return null;
			}
			List<Violation> violations = new ArrayList<>(0);
			occurredAt = EventTimestamps.parse(this.timestamp, violations);
			if (!violations.isEmpty()) {
				return null;
			}
		}
		String context = this.contextJson;
		if (context == null) {
			context = "{}";
		}
		else if (context.length() > EventContract.MAX_CONTEXT_BYTES / 3) {
			// the limit is on the context as the tree writes it, without the agent's
			// spaces
			return null;
		}
		String raw = context;
		return new EventContract.Checked(eventId, source, EventContract.withoutNul(type), severity, given,
				EventContract.withoutNul(message), occurredAt, context,
				() -> (this.contextJson != null) ? json.readTree(raw) : null, null, this.ageMs);
	}

	private static boolean isSourceId(String source) {
		int n = source.length();
		if (n < 1 || n > 128) {
			return false;
		}
		for (int i = 0; i < n; i++) {
			char c = source.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
					|| c == ':' || c == '-')) {
				return false;
			}
		}
		return true;
	}

	private static boolean isUuid(String id) {
		if (id.length() != 36) {
			return false;
		}
		for (int i = 0; i < 36; i++) {
			char c = id.charAt(i);
			boolean ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-'
					: (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
			if (!ok) {
				return false;
			}
		}
		return true;
	}

}
