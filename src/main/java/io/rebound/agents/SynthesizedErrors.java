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
 * never makes two events.
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
				: unresponsive ? "heartbeat_timeout" : "degraded_performance");
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

}
