/**
 * Recovery: the progressive ladder that acts on incidents. One run per incident with a
 * root agent, durable in PostgreSQL, stepped by the one instance that holds the recovery
 * lease (a PostgreSQL lease with a fencing token, so a former leader's late steps are not
 * written). Strategies are beans per level, chosen within a level by their record for the
 * kind of error ({@link io.rebound.recovery.Selection}); executors carry their actions
 * out over HTTP, Kubernetes or configured commands, and tell people when a run needs
 * them. Success is verified (healthy, and the incident's errors quiet for the
 * stabilization window) and resolves the incident; failure climbs the levels a tier's
 * policy allows after growing cooldowns; guards (inhibition, restart intensity, a global
 * cap) keep it from ever causing a storm.
 */
@ApplicationModule(displayName = "Recovery", allowedDependencies = { "agents", "correlation", "errors",
		"ingest :: progress", "security :: caller", "security :: control", "shared", "web" })
package io.rebound.recovery;

import org.springframework.modulith.ApplicationModule;
