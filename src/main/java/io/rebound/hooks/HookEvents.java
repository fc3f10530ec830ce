package io.rebound.hooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.rebound.agents.AgentHealthChanged;
import io.rebound.agents.AgentGraph;
import io.rebound.correlation.IncidentOpened;
import io.rebound.correlation.IncidentResolved;
import io.rebound.correlation.Incidents;
import io.rebound.errors.ErrorFacts;
import io.rebound.errors.Severity;
import io.rebound.recovery.RecoveryEvent;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Turns the events other features publish into notifications, one outbox row per
 * subscription that wants it — after their commit, through the event publication
 * registry, so an instance that dies in between loses none.
 */
@Component
class HookEvents {

	private final HookOutbox outbox;

	private final AgentGraph agents;

	private final Incidents incidents;

	private final boolean subscribed;

	private final ErrorFacts facts;

	HookEvents(HookOutbox outbox, AgentGraph agents, Incidents incidents, HooksProperties properties,
			ErrorFacts facts) {
		this.facts = facts;
		this.subscribed = !properties.subscriptions().isEmpty();
		this.outbox = outbox;
		this.agents = agents;
		this.incidents = incidents;
	}

	@ApplicationModuleListener
	void on(IncidentOpened opened) {
		if (!this.subscribed) {
			return;
		}
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("incident_id", opened.incidentId().toString());
		fields.put("kind", opened.kind());
		fields.put("cause", opened.cause());
		fields.put("category", opened.category());
		fields.put("root_agent", opened.rootAgent());
		fields.put("error_count", opened.errorIds().size());
		this.outbox.add(new Notification("incident.opened", "incident.opened:" + opened.incidentId(),
				Severity.fromWire(opened.severity()), opened.rootAgent(), policyOf(opened.rootAgent()),
				opened.category(), labelsOf(opened.rootAgent()), "Incident opened: "
						+ ((opened.cause() != null) ? opened.cause() : opened.kind()) + " on " + opened.rootAgent(),
				fields, opened.at()));
	}

	@ApplicationModuleListener
	void on(IncidentResolved resolved) {
		if (!this.subscribed) {
			return;
		}
		Optional<Incidents.Incident> incident = this.incidents.find(resolved.incidentId());
		String root = incident.map(Incidents.Incident::rootAgent).orElse(null);
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("incident_id", resolved.incidentId().toString());
		fields.put("status", resolved.status().wire());
		fields.put("by", resolved.by());
		fields.put("root_agent", root);
		String category = incident.map(this::categoryOf).orElse(null);
		fields.put("category", category);
		this.outbox.add(new Notification("incident.resolved", "incident.resolved:" + resolved.incidentId(),
				incident.map((i) -> Severity.fromWire(i.severity())).orElse(null), root, policyOf(root), category,
				labelsOf(root), "Incident " + resolved.status().wire() + " by " + resolved.by(), fields,
				resolved.at()));
	}

	@ApplicationModuleListener
	void on(AgentHealthChanged change) {
		if (!this.subscribed) {
			return;
		}
		Severity severity = switch (change.to()) {
			case FAILED -> Severity.CRITICAL;
			case CRITICAL -> Severity.HIGH;
			case DEGRADED -> Severity.MEDIUM;
			default -> null;
		};
		if (severity == null) {
			return;
		}
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("from", change.from().wire());
		fields.put("to", change.to().wire());
		fields.put("reason", change.reason());
		this.outbox.add(new Notification("agent." + change.to().wire(), "agent:" + change.transitionId(), severity,
				change.agentId(), policyOf(change.agentId()), null, labelsOf(change.agentId()),
				"Agent " + change.agentId() + " is " + change.to().wire() + ": " + change.reason(), fields,
				change.at()));
	}

	@ApplicationModuleListener
	void on(RecoveryEvent.RecoveryEscalated escalated) {
		if (!this.subscribed) {
			return;
		}
		this.outbox.add(recovery(
				"incident.escalated", escalated, Severity.HIGH, "Recovery of " + escalated.agent()
						+ " escalated from level " + escalated.from() + " to " + escalated.level(),
				escalated.reason()));
	}

	@ApplicationModuleListener
	void on(RecoveryEvent.RecoveryHandedToPerson handed) {
		if (!this.subscribed) {
			return;
		}
		this.outbox.add(recovery("recovery.person_needed", handed, Severity.CRITICAL,
				"Recovery of " + handed.agent() + " needs a person", handed.reason()));
	}

	@ApplicationModuleListener
	void on(RecoveryEvent.RecoveryAwaitingApproval waiting) {
		if (!this.subscribed) {
			return;
		}
		this.outbox.add(recovery("recovery.approval_needed", waiting, Severity.HIGH,
				"Recovery of " + waiting.agent() + " waits for approval of level 5", waiting.reason()));
	}

	@ApplicationModuleListener
	void on(RecoveryEvent.RecoverySucceeded succeeded) {
		if (!this.subscribed) {
			return;
		}
		this.outbox.add(recovery("recovery.verified", succeeded, Severity.INFO,
				"Recovery of " + succeeded.agent() + " verified at level " + succeeded.level(),
				"in " + succeeded.took().toSeconds() + " s"
						+ ((succeeded.strategy() != null) ? " by " + succeeded.strategy() : "")));
	}

	private Notification recovery(String event, RecoveryEvent source, Severity severity, String summary,
			String reason) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("run_id", source.runId().toString());
		fields.put("incident_id", source.incidentId().toString());
		fields.put("level", source.level());
		fields.put("reason", reason);
		fields.put("run", "/api/recovery/runs/" + source.runId());
		String category = this.incidents.find(source.incidentId()).map(this::categoryOf).orElse(null);
		fields.put("category", category);
		return new Notification(event, event + ":" + source.runId() + ":" + source.at(), severity, source.agent(),
				policyOf(source.agent()), category, labelsOf(source.agent()), summary, fields, source.at());
	}

	/** The category of the incident's errors: its root agent's, else its first. */
	private String categoryOf(Incidents.Incident incident) {
		List<ErrorFacts.Fact> errors = this.facts.byIds(incident.errorIds());
		return errors.stream()
			.filter((e) -> e.source().equals(incident.rootAgent()))
			.findFirst()
			.or(() -> errors.stream().findFirst())
			.map((e) -> e.category().wire())
			.orElse(null);
	}

	private Map<String, String> labelsOf(String agent) {
		return (agent != null) ? this.agents.labels(agent) : Map.of();
	}

	private String policyOf(String agent) {
		return (agent != null) ? this.agents.node(agent).map(AgentGraph.Node::policy).orElse(null) : null;
	}

}
