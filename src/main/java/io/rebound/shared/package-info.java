/**
 * Shared: the few helpers every module uses the same way — enum values read back by their
 * wire spelling ({@link io.rebound.shared.Wire}) and nullable JDBC timestamps
 * ({@link io.rebound.shared.Timestamps}). Depends on nothing of Rebound's.
 */
@ApplicationModule(displayName = "Shared", allowedDependencies = {})
package io.rebound.shared;

import org.springframework.modulith.ApplicationModule;
