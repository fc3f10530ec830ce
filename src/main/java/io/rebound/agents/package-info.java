/**
 * Agents: the registry of agents (kind, dependencies, endpoints, criticality, policy),
 * their heartbeats (Kafka {@code rebound.heartbeats} or REST, one path), and each agent's
 * health state machine {@code healthy → degraded → critical → failed} driven by heartbeat
 * content and by heartbeats that stop coming. Transitions are stored, published as
 * {@link io.rebound.agents.AgentHealthChanged}, and those to {@code critical} or
 * {@code failed} become error events on the bus (a fall to {@code degraded} by what
 * heartbeats report, a gentler one).
 */
@ApplicationModule(displayName = "Agents", allowedDependencies = { "errors", "ingest :: bus", "ingest :: progress",
		"security :: caller", "shared", "web" })
package io.rebound.agents;

import org.springframework.modulith.ApplicationModule;
