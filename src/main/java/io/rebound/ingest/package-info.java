/**
 * Ingest: the one path by which events enter Rebound. Agents publish to the severity
 * topics or POST to {@code /api/errors} (which publishes to the same topics); batch
 * listeners validate against the event contract, store through the errors feature and
 * commit offsets only after the database commit. Unreadable or invalid records go to
 * {@code <topic>-dlt} with the reason in a header.
 */
@ApplicationModule(displayName = "Ingest", allowedDependencies = { "errors", "security :: caller", "web" })
package io.rebound.ingest;

import org.springframework.modulith.ApplicationModule;
