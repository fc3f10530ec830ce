/**
 * Security: who may call (API keys {@code rbk_…} with roles and agent bindings, or JWTs
 * when an issuer is configured), the filters in front of every request (body size, rate
 * per key, key or token), the problems they answer with, the keys API, the audit log of
 * people's actions and its API, and the agents' control secrets that sign recovery's
 * calls. Others see the caller and the audit log ({@code security :: caller}) and the
 * control secrets ({@code security :: control}) only.
 */
@ApplicationModule(displayName = "Security", allowedDependencies = { "shared", "web" })
package io.rebound.security;

import org.springframework.modulith.ApplicationModule;
