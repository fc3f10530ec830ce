/**
 * Recovery: the progressive ladder that acts on incidents. One run per incident with a
 * root agent, durable in PostgreSQL, stepped by the one instance that holds the recovery
 * lease (a PostgreSQL lease with a fencing token, so a former leader's late steps are not
 * written). Strategies are beans per level; the HTTP executor calls the agent's
 * registered control endpoint; success is verified (healthy, and the incident's errors
 * quiet for the stabilization window) and resolves the incident; failure climbs a level
 * after a growing cooldown; past level 4 a person is needed.
 */
package io.rebound.recovery;
