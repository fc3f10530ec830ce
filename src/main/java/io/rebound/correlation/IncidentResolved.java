package io.rebound.correlation;

import java.time.Instant;
import java.util.UUID;

/**
 * An incident is over: resolved (by a person, by recovery, or after a quiet spell) or
 * closed (by a person, or merged into another). Recovery stops acting on it.
 *
 * @param incidentId the incident
 * @param status {@code resolved} or {@code closed}
 * @param by who or what ended it
 * @param mergedInto the incident that absorbed it, or {@code null}
 * @param at when
 */
public record IncidentResolved(UUID incidentId, IncidentStatus status, String by, UUID mergedInto, Instant at) {

}
