/**
 * Errors: the event contract's domain (severity, category, fingerprint), the immutable
 * error events and their aggregates per fingerprint ("errors", like Sentry's issues), the
 * batched write path that stores events idempotently and keeps the aggregates, and the
 * errors API (list, get, events, resolve, reopen).
 */
@ApplicationModule(displayName = "Errors", allowedDependencies = { "security :: caller", "shared", "web" })
package io.rebound.errors;

import org.springframework.modulith.ApplicationModule;
