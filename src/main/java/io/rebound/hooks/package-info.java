/**
 * Hooks: webhooks an operator subscribes to — incidents opened and resolved, agents
 * turning degraded, critical or failed, runs handed to a person or waiting for approval,
 * recoveries verified — filtered by event, severity and policy tier, in Rebound's generic
 * JSON, Slack's or Alertmanager's shape. Each notification is a row in an outbox, written
 * once per subscription (however often its event is delivered), and sent by the recovery
 * leader with an {@code Idempotency-Key} until the receiver takes it, with back-off.
 */
@ApplicationModule(displayName = "Hooks", allowedDependencies = { "agents", "correlation", "errors",
		"recovery :: events", "recovery :: leadership", "shared" })
package io.rebound.hooks;

import org.springframework.modulith.ApplicationModule;
