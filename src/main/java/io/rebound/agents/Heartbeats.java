package io.rebound.agents;

import java.time.Instant;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * Reads a heartbeat's JSON: {@code status} ({@code ok}, {@code degraded},
 * {@code stopping}) and the optional metrics {@code response_time_ms},
 * {@code error_rate}, {@code queue_depth}, {@code cpu}, {@code memory}, and
 * {@code circuit_breakers} (name → {@code closed}, {@code open}, {@code half_open}, …).
 * The same rules for REST and Kafka.
 */
final class Heartbeats {

	private static final Set<String> STATUSES = Set.of("ok", "degraded", "stopping");

	/** Resilience4j's states, lower case; the Python client's are among them. */
	static final Set<String> BREAKER_STATES = Set.of("closed", "open", "half_open", "forced_open", "disabled",
			"metrics_only");

	private Heartbeats() {
	}

	/**
	 * @throws IllegalArgumentException naming the field at fault
	 */
	static Heartbeat of(String agentId, JsonNode body, Instant at) {
		if (agentId == null || !HeartbeatListener.AGENT_ID.matcher(agentId).matches()) {
			throw new IllegalArgumentException(
					"agent_id: '" + agentId + "' is not an agent id ([A-Za-z0-9._:-]{1,128})");
		}
		String status = null;
		if (body.hasNonNull("status")) {
			status = body.get("status").asString("");
			if (!STATUSES.contains(status) || !body.get("status").isString()) {
				throw new IllegalArgumentException(
						"status: must be one of " + STATUSES + ", not " + body.get("status"));
			}
		}
		return new Heartbeat(agentId, at, status, number(body, "response_time_ms", Double.MAX_VALUE),
				number(body, "error_rate", 1), number(body, "queue_depth", Double.MAX_VALUE), number(body, "cpu", 1),
				number(body, "memory", 1), breakers(body.get("circuit_breakers")));
	}

	private static java.util.Map<String, String> breakers(JsonNode breakers) {
		if (breakers == null || breakers.isNull()) {
			return null;
		}
		if (!breakers.isObject() || breakers.size() > 50) {
			throw new IllegalArgumentException(
					"circuit_breakers: must be an object of at most 50 breaker names to states, not " + breakers);
		}
		java.util.Map<String, String> states = new java.util.TreeMap<>();
		for (java.util.Map.Entry<String, JsonNode> breaker : breakers.properties()) {
			String state = breaker.getValue().isString() ? breaker.getValue().asString() : null;
			if (breaker.getKey().isEmpty() || breaker.getKey().length() > 128 || state == null
					|| !BREAKER_STATES.contains(state)) {
				throw new IllegalArgumentException("circuit_breakers." + breaker.getKey() + ": must be one of "
						+ new java.util.TreeSet<>(BREAKER_STATES) + ", not " + breaker.getValue());
			}
			states.put(breaker.getKey(), state);
		}
		return states;
	}

	private static Double number(JsonNode body, String field, double max) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > max) {
			throw new IllegalArgumentException(field + ": must be a number from 0 to "
					+ ((max == Double.MAX_VALUE) ? "any" : max) + ", not " + value);
		}
		return value.asDouble();
	}

}
