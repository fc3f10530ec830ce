package io.rebound.errors;

import java.time.Instant;
import java.util.UUID;

/**
 * An error came far more often this hour than its own last seven days forecast; published
 * once per escalation, inside the transaction that flags it.
 *
 * @param errorId the error
 * @param source its source
 * @param count its events this hour so far
 * @param baseline its busiest hour in the last seven days
 * @param forecast the count at which it escalates
 * @param status its status when it escalated ({@code open}, {@code resolved},
 * {@code regressed}, …)
 * @param at when (Rebound's clock)
 */
public record ErrorEscalated(UUID errorId, String source, long count, long baseline, long forecast, String status,
		Instant at) {

}
