package io.rebound.correlation;

import java.util.List;

/**
 * A pattern rule as operators write it (YAML file, REST) and as it is stored: when every
 * condition holds, the event has this cause.
 *
 * @param id a stable name, {@code [a-z0-9][a-z0-9._-]{0,63}}
 * @param description what the rule recognises, for people
 * @param priority lower runs first; the first rule that matches wins (default 100;
 * built-in rules use 1000 and up, so operators' rules come first)
 * @param match the conditions, all of which must hold (at least one)
 * @param cause the probable cause, a short stable name
 * @param confidence from 0 to 1 (default 0.8)
 * @param category the category to give events that came without one
 * @param errorClass {@code transient} (retry), {@code recoverable} (retry with an
 * adjustment) or {@code fatal} (no automatic action)
 * @param recovery {@code level:<1-5>}, {@code strategy:<name>} or {@code human}
 * @param fingerprint parts to group events by instead of the default
 * @param incident when errors of this cause make an incident
 * @param enabled {@code false} keeps the rule but stops it matching
 */
record Rule(String id, String description, Integer priority, List<Condition> match, String cause, Double confidence,
		String category, String errorClass, String recovery, List<String> fingerprint, IncidentTrigger incident,
		Boolean enabled) {

	Rule withId(String newId) {
		return new Rule(newId, this.description, this.priority, this.match, this.cause, this.confidence, this.category,
				this.errorClass, this.recovery, this.fingerprint, this.incident, this.enabled);
	}

	Rule withEnabled(boolean on) {
		return new Rule(this.id, this.description, this.priority, this.match, this.cause, this.confidence,
				this.category, this.errorClass, this.recovery, this.fingerprint, this.incident, on);
	}

	boolean isEnabled() {
		return this.enabled == null || this.enabled;
	}

	/**
	 * One condition on a field of the event.
	 *
	 * @param field {@code source}, {@code type}, {@code severity}, {@code category},
	 * {@code message} or {@code context.<path>} (dots between keys)
	 * @param op {@code equals}, {@code not_equals}, {@code contains},
	 * {@code not_contains}, {@code starts_with}, {@code ends_with}, {@code matches} (a
	 * regular expression found anywhere; a named group {@code target} names the failing
	 * thing), {@code not_matches}, {@code in} or {@code exists}
	 * @param value the operand
	 * @param values several operands, any of which may match (for every operator but
	 * {@code exists})
	 * @param ignoreCase compare without regard to case (default {@code true})
	 */
	record Condition(String field, String op, String value, List<String> values, Boolean ignoreCase) {
	}

	/**
	 * When errors of a rule's cause open an incident: at least {@code minErrors} open
	 * errors from at least {@code minSources} agents within {@code window}.
	 *
	 * @param group {@code cause} (errors of this cause from any agent belong together) or
	 * {@code source} (one incident per agent)
	 * @param minErrors open errors needed (default from
	 * {@code rebound.correlation.incident.min-errors})
	 * @param minSources agents needed
	 * @param window how far back errors count, like {@code 5m}
	 */
	record IncidentTrigger(String group, Integer minErrors, Integer minSources, String window) {
	}

}
