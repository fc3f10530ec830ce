package io.rebound.errors;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/errors} narrows the list to; {@code null} means no condition.
 *
 * @param source exact agent id
 * @param severities the severities to include ({@code severity} and/or
 * {@code min_severity})
 * @param type exact error type
 * @param category exact category
 * @param status exact status
 * @param since last activity at or after
 * @param until last activity before
 * @param text text contained in the message, case-insensitive
 */
record ErrorFilter(String source, List<Severity> severities, String type, Category category, ErrorStatus status,
		Instant since, Instant until, String text) {

}
