package io.rebound.agents;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

import io.rebound.agents.AgentHealthChanged.Cause;
import io.rebound.ingest.Outbox;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;
import org.springframework.context.event.EventListener;

/**
 * Turns an agent's fall to {@code critical} or {@code failed} into an error event on the
 * bus ({@code heartbeat_timeout} or {@code degraded_performance}), so correlation and
 * recovery see it like any other error; a fall from a good state to {@code degraded} by
 * what its heartbeats report (not by silence, which is on its way to {@code critical})
 * into a gentler one, {@code health_degraded} of severity {@code medium}. The event goes
 * into the outbox in the same transaction as the transition, so it is published even if
 * Kafka is away at that moment; its event id comes from the transition, so a transition
 * never makes two events. Likewise an {@link AnomalyDetected} becomes {@code anomaly}
 * (severity {@code low}) and a {@link FailurePredicted} {@code predicted_failure}
 * (severity {@code medium}).
 */
@Component
class SynthesizedErrors {

	private final Outbox outbox;

	private final JsonMapper json;

	SynthesizedErrors(Outbox outbox, JsonMapper json) {
		this.outbox = outbox;
		this.json = json;
	}

	@EventListener
	void on(AgentHealthChanged change) {
		boolean degraded = change.to() == HealthState.DEGRADED && change.from().badness() == 0
				&& change.cause() == Cause.DEGRADED_PERFORMANCE;
		if (change.to() != HealthState.CRITICAL && change.to() != HealthState.FAILED && !degraded) {
			return;
		}
		ObjectNode event = this.json.createObjectNode();
		event.put("event_id",
				UUID.nameUUIDFromBytes(("agent-health/" + change.transitionId()).getBytes(StandardCharsets.UTF_8))
					.toString());
		event.put("source", change.agentId());
		boolean unresponsive = change.cause() == Cause.HEARTBEAT_TIMEOUT || change.cause() == Cause.PROBE_FAILED;
		event.put("type", degraded ? AgentHealthChanged.DEGRADED_EVENT_TYPE
				: unresponsive ? AgentHealthChanged.UNRESPONSIVE_EVENT_TYPE : AgentHealthChanged.CRITICAL_EVENT_TYPE);
		event.put("severity", degraded ? "medium" : (change.to() == HealthState.FAILED) ? "critical" : "high");
		event.put("category", unresponsive ? "worker" : "resource");
		event.putObject("context").put("cause", change.cause().name().toLowerCase(Locale.ROOT));
		event.put("message", "Agent " + change.agentId() + " is " + change.to().wire() + ": " + change.reason());
		event.put("timestamp", change.at().toString());
		ObjectNode context = (ObjectNode) event.get("context");
		context.put("from_state", change.from().wire());
		context.put("to_state", change.to().wire());
		context.put("transition_id", change.transitionId());
		context.put("synthesized_by", "rebound");
		this.outbox.add(event);
	}

	@EventListener
	void on(AnomalyDetected anomaly) {
		ObjectNode event = event("anomaly/" + anomaly.agentId() + "/" + anomaly.metric() + "/" + anomaly.at(),
				anomaly.agentId(), AnomalyDetected.EVENT_TYPE, "low", anomaly.at());
		event.put("message",
				"Agent " + anomaly.agentId() + "'s " + anomaly.metric() + " is anomalous: " + round(anomaly.value())
						+ " against a baseline of " + round(anomaly.baseline()) + " (deviation " + round(anomaly.mad())
						+ ", score " + round(anomaly.score()) + ", from "
						+ (anomaly.baselineFrom().equals("kind") ? "its kind's agents" : "its own last values") + ")");
		ObjectNode context = (ObjectNode) event.get("context");
		context.put("metric", anomaly.metric());
		context.put("value", anomaly.value());
		context.put("baseline", anomaly.baseline());
		context.put("mad", anomaly.mad());
		context.put("score", anomaly.score());
		context.put("baseline_from", anomaly.baselineFrom());
		this.outbox.add(event);
	}

	@EventListener
	void on(FailurePredicted prediction) {
		ObjectNode event = event("prediction/" + prediction.predictionId(), prediction.agentId(),
				FailurePredicted.EVENT_TYPE, "medium", prediction.at());
		long lead = java.time.Duration.between(prediction.at(), prediction.crossesAt()).toSeconds();
		event.put("message",
				"Agent " + prediction.agentId() + "'s " + prediction.metric() + " is predicted to reach its limit "
						+ round(prediction.limit()) + " in " + lead + " s (now " + round(prediction.value())
						+ ", rising " + round(prediction.slopePerSecond()) + " per second; confidence "
						+ round(prediction.confidence()) + ")");
		ObjectNode context = (ObjectNode) event.get("context");
		context.put("metric", prediction.metric());
		context.put("value", prediction.value());
		context.put("limit", prediction.limit());
		context.put("slope_per_second", prediction.slopePerSecond());
		context.put("crosses_at", prediction.crossesAt().toString());
		context.put("lead_seconds", lead);
		context.put("confidence", prediction.confidence());
		context.put("prediction_id", prediction.predictionId());
		this.outbox.add(event);
	}

	private ObjectNode event(String key, String agentId, String type, String severity, java.time.Instant at) {
		ObjectNode event = this.json.createObjectNode();
		event.put("event_id", UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString());
		event.put("source", agentId);
		event.put("type", type);
		event.put("severity", severity);
		event.put("category", "resource");
		event.put("timestamp", at.toString());
		event.putObject("context").put("synthesized_by", "rebound");
		return event;
	}

	private static String round(double value) {
		return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
	}

}
