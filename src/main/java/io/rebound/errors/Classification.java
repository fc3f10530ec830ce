package io.rebound.errors;

import java.util.List;

/**
 * What a correlation rule made of an event: why it failed, how sure the rule is, what
 * kind of failure it is and what recovery it calls for. Stored with the event's error.
 *
 * @param ruleId the rule that matched, or {@code null} when none did
 * @param cause the probable cause, a short stable name such as {@code connection_refused}
 * @param confidence how sure the rule is, from 0 to 1
 * @param category the category the rule gives, or {@code null} to keep the event's own
 * @param errorClass {@code transient}, {@code recoverable} or {@code fatal}
 * @param recovery the recommended recovery: {@code level:<1-5>}, {@code strategy:<name>}
 * or {@code human}
 * @param groupKey what the failing thing is (say, the host and port refused), so that
 * errors of one cause about different things are not merged; or {@code null}
 * @param fingerprint the parts the rule groups events by ({@code source}, {@code type},
 * {@code message}, {@code cause}, {@code group} or literal text), or {@code null} for the
 * default grouping
 */
public record Classification(String ruleId, String cause, double confidence, Category category, String errorClass,
		String recovery, String groupKey, List<String> fingerprint) {

	/** No rule matched. */
	public static final Classification NONE = new Classification(null, null, 0, null, null, null, null, null);

	public boolean matched() {
		return this.ruleId != null;
	}

}
