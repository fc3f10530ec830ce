/**
 * Correlation: pattern rules that say why an event failed (cause, confidence, category,
 * error class, recommended recovery, and optionally how it groups), and incidents that
 * gather the errors of one probable root cause — by a cause shared across sources, a
 * burst of one error, or a failing dependency of the reporting agents — with the reasons
 * recorded. Publishes {@link io.rebound.correlation.IncidentOpened},
 * {@link io.rebound.correlation.IncidentUpdated} and
 * {@link io.rebound.correlation.IncidentResolved} for recovery to act on.
 */
@ApplicationModule(displayName = "Correlation",
		allowedDependencies = { "agents", "errors", "ingest :: bus", "security :: caller", "shared", "web" })
package io.rebound.correlation;

import org.springframework.modulith.ApplicationModule;
