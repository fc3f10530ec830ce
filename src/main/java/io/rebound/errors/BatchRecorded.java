package io.rebound.errors;

import java.util.List;

/**
 * A batch was recorded: the events stored for the first time (in the order given) and how
 * many were already stored. Published synchronously after the database commit, on the
 * ingest path (not through the event publication registry: one per batch is too many to
 * store twice), for features that act on new errors.
 *
 * @param stored events stored by this batch
 * @param duplicates events skipped because their {@code event_id} was already stored
 * @param newErrors errors seen for the first time
 * @param regressedErrors resolved errors that came back
 * @param suppressed events over a noise limit, counted in their errors but not stored
 */
public record BatchRecorded(List<ReceivedEvent> stored, int duplicates, int newErrors, int regressedErrors,
		int suppressed) {

}
