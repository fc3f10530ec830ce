package io.rebound.client;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One event of Rebound's contract v1, as reported: made cheaply on the caller's thread,
 * trimmed to the contract's limits and written as JSON on the worker's.
 *
 * @param eventId its idempotency key, so a retry or a replay counts once
 * @param source the agent
 * @param type the error type
 * @param severity {@code critical}, {@code high}, {@code medium}, {@code low} or
 * {@code info}
 * @param message the message
 * @param timestamp when it happened, ISO-8601 UTC with its offset
 * @param context more, as JSON
 */
record Event(String eventId, String source, String type, String severity, String message, String timestamp,
		Map<String, Object> context) {

	/**
	 * What {@code report} keeps on the caller's thread — the time and a shallow copy of the
	 * context; the id and the text of the time are made by the worker.
	 */
	record Captured(long epochMillis, String source, String type, String severity, String message,
			Map<String, Object> context) {

		Event event() {
			return new Event(EventIds.next(this.epochMillis).toString(), this.source, this.type, this.severity,
					this.message, java.time.Instant.ofEpochMilli(this.epochMillis).toString(), this.context);
		}

	}

	static final Set<String> SEVERITIES = Set.of("critical", "high", "medium", "low", "info");

	static final int MAX_TYPE = 64;

	static final int MAX_MESSAGE_BYTES = 8192;

	static final int MAX_CONTEXT_BYTES = 64 * 1024;

	static final String TRIM_MARKER = "…[trimmed by rebound-client]";

	/** The event as JSON, mended where the contract would refuse it. */
	String toJson() {
		Map<String, Object> context = (this.context != null) ? new LinkedHashMap<>(this.context)
				: new LinkedHashMap<>();
		String severity = (this.severity != null) ? this.severity.toLowerCase(java.util.Locale.ROOT) : "medium";
		if (!SEVERITIES.contains(severity)) {
			context.put("severity_given", severity);
			severity = "medium";
		}
		String type = (this.type == null || this.type.isEmpty()) ? "error" : this.type;
		String message = (this.message == null || this.message.isEmpty()) ? "(no message)" : this.message;
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("event_id", this.eventId);
		event.put("source", this.source);
		event.put("type", (type.length() > MAX_TYPE) ? type.substring(0, MAX_TYPE) : type);
		event.put("severity", severity);
		event.put("message", trim(message, MAX_MESSAGE_BYTES));
		event.put("timestamp", this.timestamp);
		event.put("context", fitted(context));
		return Json.write(event);
	}

	/** The longest age an event is sent with: Rebound places none further back. */
	static final long MAX_AGE_MS = 86_400_000L;

	private static final String TIMESTAMP_FIELD = "\"timestamp\":\"";

	/**
	 * The event's JSON (as {@link #toJson()} wrote it, perhaps in an earlier process, read
	 * back from the spool) with {@code age_ms} — how long ago it happened, by this
	 * process's clock, so Rebound can place an event held back while it was away where it
	 * belongs on its own clock. The first {@code "timestamp":"} is the event's own: those
	 * before it are inside strings, where quotes are escaped.
	 */
	static String withAge(String json, long nowMillis) {
		int at = json.indexOf(TIMESTAMP_FIELD);
		int end = (at < 0) ? -1 : json.indexOf('"', at + TIMESTAMP_FIELD.length());
		if (end < 0 || !json.startsWith("{") || json.startsWith("{\"age_ms\"")) {
			return json;
		}
		try {
			long then = java.time.Instant.parse(json.substring(at + TIMESTAMP_FIELD.length(), end)).toEpochMilli();
			long age = Math.max(0, Math.min(MAX_AGE_MS, nowMillis - then));
			return "{\"age_ms\":" + age + "," + json.substring(1);
		}
		catch (java.time.format.DateTimeParseException ex) {
			return json;
		}
	}

	static String trim(String text, int maxBytes) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		if (bytes.length <= maxBytes) {
			return text;
		}
		int budget = maxBytes - TRIM_MARKER.getBytes(StandardCharsets.UTF_8).length;
		int end = budget;
		while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
			end--; // do not cut a character in two
		}
		return new String(bytes, 0, end, StandardCharsets.UTF_8) + TRIM_MARKER;
	}

	private static Map<String, Object> fitted(Map<String, Object> context) {
		int size = Json.write(context).getBytes(StandardCharsets.UTF_8).length;
		if (size <= MAX_CONTEXT_BYTES) {
			return context;
		}
		Map<String, Object> trimmed = new LinkedHashMap<>();
		int budget = MAX_CONTEXT_BYTES / Math.max(1, context.size()) - 64;
		context.forEach((key, value) -> {
			String text = (value instanceof String s) ? s : Json.write(value);
			trimmed.put(key, (text.getBytes(StandardCharsets.UTF_8).length > budget) ? trim(text, Math.max(budget, 64))
					: value);
		});
		trimmed.put("rebound_trimmed", "context of " + size + " bytes cut to fit 64 KiB");
		if (Json.write(trimmed).getBytes(StandardCharsets.UTF_8).length > MAX_CONTEXT_BYTES) {
			return Map.of("rebound_trimmed", "context of " + size + " bytes dropped: too big");
		}
		return trimmed;
	}

}
