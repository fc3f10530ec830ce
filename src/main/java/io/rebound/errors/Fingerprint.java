package io.rebound.errors;

import java.util.List;
import java.util.UUID;

/**
 * Why events belong to one error: the fingerprint, the error id derived from it, and the
 * inputs that formed it, kept with the error so an operator can see why events were
 * grouped.
 *
 * @param value hex SHA-256 of the inputs
 * @param errorId the error's id, derived from {@code value}, stable across restarts
 * @param inputs what was hashed
 */
public record Fingerprint(String value, UUID errorId, Inputs inputs) {

	/**
	 * @param version the fingerprint algorithm's version
	 * @param rule what chose the inputs ({@code default}: source + type + normalized
	 * message)
	 * @param source the reporting agent
	 * @param type the agent's error type
	 * @param message the message with its volatile parts replaced
	 * @param parts what a rule grouped by instead, or {@code null}
	 */
	public record Inputs(int version, String rule, String source, String type, String message, List<String> parts) {
	}

}
