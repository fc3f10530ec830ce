package io.rebound.correlation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An active incident changed: errors joined or left, or its root changed.
 *
 * @param incidentId the incident
 * @param change {@code errors_added}, {@code root_changed}, {@code merged}, {@code split}
 * or {@code status}
 * @param rootAgent its root agent now, or {@code null}
 * @param errorIds the errors the change concerns
 * @param at when
 */
public record IncidentUpdated(UUID incidentId, String change, String rootAgent, List<UUID> errorIds, Instant at) {

}
