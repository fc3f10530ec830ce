/**
 * Web: what every feature's REST side shares — errors as RFC 9457
 * {@code application/problem+json} with a stable {@code type}, from one advice
 * ({@link io.rebound.web.ProblemException}, {@link io.rebound.web.ProblemLocation}),
 * strict query parameters, and pages with opaque cursors. Depends on nothing of
 * Rebound's.
 */
@ApplicationModule(displayName = "Web", allowedDependencies = {})
package io.rebound.web;

import org.springframework.modulith.ApplicationModule;
