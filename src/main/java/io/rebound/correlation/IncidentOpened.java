package io.rebound.correlation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A new incident, published in the transaction that stores it (and delivered to other
 * features after its commit); it carries what recovery needs to start a run.
 *
 * @param incidentId the incident
 * @param kind what opened it ({@code rule}, {@code burst}, {@code severity},
 * {@code dependency}, {@code recurrence}, {@code manual})
 * @param severity its errors' highest severity
 * @param category the category of its root agent's error, or {@code null}
 * @param cause the probable cause, or {@code null}
 * @param errorClass {@code transient}, {@code recoverable}, {@code fatal}, or
 * {@code null}
 * @param recovery what its rule recommends recovery do, or {@code null}
 * @param rootAgent the agent at the root, or {@code null}
 * @param previousIncidentId the incident it recurs, or {@code null}
 * @param errorIds its errors
 * @param at when it opened
 */
public record IncidentOpened(UUID incidentId, String kind, String severity, String category, String cause,
		String errorClass, RecoveryDirective recovery, String rootAgent, UUID previousIncidentId, List<UUID> errorIds,
		Instant at) {

}
