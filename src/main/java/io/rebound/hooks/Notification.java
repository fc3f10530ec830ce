package io.rebound.hooks;

import java.time.Instant;
import java.util.Map;

import io.rebound.errors.Severity;

/**
 * What a subscriber is told.
 *
 * @param event one of {@link HooksProperties#EVENTS}
 * @param key what makes it one notification however often its event is delivered
 * @param severity how bad, or {@code null}
 * @param agent the agent it is about, or {@code null}
 * @param policy that agent's policy tier, or {@code null}
 * @param category the category of the incident's errors (its root agent's), or
 * {@code null}
 * @param labels that agent's labels
 * @param summary one line for people
 * @param fields the particulars (ids, states, reasons)
 * @param at when it happened
 */
record Notification(String event, String key, Severity severity, String agent, String policy, String category,
		Map<String, String> labels, String summary, Map<String, Object> fields, Instant at) {
}
