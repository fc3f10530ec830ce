package io.rebound.agents;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.rebound.errors.OpenErrors.OpenError;

/**
 * What the agents API answers with; field names become snake_case in JSON.
 */
final class AgentViews {

	private AgentViews() {
	}

	record AgentView(String id, String kind, List<String> dependsOn, String controlUrl, String healthUrl,
			String criticality, String policy, String version, @JsonRawValue String labels, String registeredBy,
			Instant registeredAt, Instant updatedAt, HealthState state, Instant stateSince, String stateReason,
			Instant lastHeartbeatAt, Long heartbeatIntervalMs, @JsonRawValue String lastMetrics, Long clockSkewMs,
			Instant clockSkewAt, List<String> verbs, List<String> verbsRefused, String previousVersion,
			Instant versionChangedAt) {
	}

	record Transition(HealthState from, HealthState to, String cause, String reason, Instant at) {
	}

	record AgentDetails(AgentView agent, List<Transition> healthHistory, List<OpenError> openErrors,
			List<PredictionView> predictions) {
	}

	/** A failure prediction and how it ended ({@code pending} while it is in force). */
	record PredictionView(long id, String metric, Instant predictedAt, double value, double limit,
			double slopePerSecond, Instant crossesAt, double confidence, String outcome, Instant outcomeAt) {
	}

}
