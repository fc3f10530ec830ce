package io.rebound.client;

import java.util.List;
import java.util.Map;

/**
 * One of Rebound's control calls, as the control contract's body carries it.
 *
 * @param verb {@code retry}, {@code reload}, {@code restart}, {@code scale}, …
 * @param runId the recovery run
 * @param attemptId the attempt; a call repeated with it gets the first answer again
 * @param incidentId the incident
 * @param level the ladder's level, 1 to 5
 * @param strategy the strategy that asked
 * @param parameters the strategy's parameters
 * @param deadline when Rebound stops waiting for the answer (ISO-8601)
 * @param checkpoints for a restart, the newest checkpoint of each of the agent's tasks
 * ({@code task}, {@code version}, {@code sha256}, {@code url}), to resume from
 */
public record ControlCall(String verb, String runId, String attemptId, String incidentId, int level, String strategy,
		Map<String, Object> parameters, String deadline, List<Map<String, Object>> checkpoints) {

	/** A call without checkpoints. */
	public ControlCall(String verb, String runId, String attemptId, String incidentId, int level, String strategy,
			Map<String, Object> parameters, String deadline) {
		this(verb, runId, attemptId, incidentId, level, strategy, parameters, deadline, List.of());
	}

	@SuppressWarnings("unchecked")
	static ControlCall of(String verb, Map<String, Object> body) {
		Object parameters = body.get("parameters");
		Object level = body.get("level");
		return new ControlCall(verb, text(body.get("run_id")), text(body.get("attempt_id")),
				text(body.get("incident_id")), (level instanceof Number n) ? n.intValue() : 0,
				text(body.get("strategy")),
				(parameters instanceof Map<?, ?> p) ? Map.copyOf((Map<String, Object>) p) : Map.of(),
				text(body.get("deadline")),
				(body.get("checkpoints") instanceof List<?> c) ? List.copyOf((List<Map<String, Object>>) c) : List.of());
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : null;
	}

}
