package io.rebound.correlation;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * Correlation's face toward recovery: read an incident with its errors, mark it as being
 * mitigated, resolve it once recovery is verified.
 */
@Component
public class Incidents {

	/**
	 * An incident as recovery needs it.
	 *
	 * @param id the incident
	 * @param status where it stands
	 * @param kind what opened it
	 * @param severity its errors' highest severity
	 * @param cause the probable cause, or {@code null}
	 * @param errorClass {@code transient}, {@code recoverable}, {@code fatal}, or
	 * {@code null}
	 * @param recovery the recommended recovery, or {@code null}
	 * @param rootAgent the agent at the root, or {@code null}
	 * @param errorIds its current errors
	 * @param symptomAgents the agents whose errors are symptoms of the root
	 */
	public record Incident(UUID id, IncidentStatus status, String kind, String severity, String cause,
			String errorClass, RecoveryDirective recovery, String rootAgent, List<UUID> errorIds,
			List<String> symptomAgents) {
	}

	private final IncidentStore store;

	private final IncidentMembers members;

	private final IncidentLifecycle lifecycle;

	Incidents(IncidentStore store, IncidentMembers members, IncidentLifecycle lifecycle) {
		this.store = store;
		this.members = members;
		this.lifecycle = lifecycle;
	}

	public Optional<Incident> find(UUID id) {
		return this.store.find(id).map((row) -> {
			List<IncidentMembers.Member> members = this.members.members(id);
			return new Incident(row.id(), row.status(), row.kind(), row.severity(), row.cause(), row.errorClass(),
					RecoveryDirective.tryParse(row.recovery()), row.rootAgent(),
					members.stream().map(IncidentMembers.Member::errorId).toList(),
					members.stream()
						.filter((m) -> m.role().equals("symptom"))
						.map(IncidentMembers.Member::source)
						.distinct()
						.toList());
		});
	}

	/** Recovery is acting on it. */
	public void mitigating(UUID id, String by) {
		this.lifecycle.mitigating(id, by);
	}

	/** Recovery verified that it is over. */
	public void resolve(UUID id, String by, String note) {
		this.lifecycle.resolve(id, by, note);
	}

}
