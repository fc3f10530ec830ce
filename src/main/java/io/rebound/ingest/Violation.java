package io.rebound.ingest;

/**
 * One way an event breaks the contract.
 *
 * @param field the field at fault ({@code $} for the event as a whole)
 * @param reason what is wrong, for a person
 */
record Violation(String field, String reason) {

}
