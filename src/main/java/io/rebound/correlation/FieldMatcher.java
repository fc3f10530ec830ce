package io.rebound.correlation;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compiled condition: tests one field's text. Built once per rule version, run for
 * every event, so the plain operators compare lower-cased text that each event computes
 * once per field, and regular expressions run on a budget so that a pathological pattern
 * cannot stall ingest.
 */
sealed interface FieldMatcher {

	/**
	 * Characters a regular expression may read per event before it counts as no match.
	 */
	int REGEX_BUDGET = 1_000_000;

	String field();

	/**
	 * @param text the field's text, or {@code null} when the event has no such field
	 * @param folded the same text lower-cased, or {@code null}
	 * @return whether the condition holds; for a regex with a {@code target} group, the
	 * captured text is handed to {@code target}
	 */
	boolean test(String text, String folded, Target target);

	/** Receives a regex's {@code target} group. */
	interface Target {

		void found(String value);

	}

	/** Plain text operators, against any of the operands. */
	record Text(String field, String op, List<String> operands, boolean ignoreCase, Op kind,
			boolean negated) implements FieldMatcher {

		/** The operators, resolved once rather than for every event. */
		enum Op {

			EXISTS, EQUALS, CONTAINS, STARTS_WITH, ENDS_WITH;

			static Op of(String op) {
				return switch (op) {
					case "exists" -> EXISTS;
					case "equals", "not_equals", "in" -> EQUALS;
					case "contains", "not_contains" -> CONTAINS;
					case "starts_with" -> STARTS_WITH;
					case "ends_with" -> ENDS_WITH;
					default -> throw new IllegalArgumentException("Unknown operator " + op);
				};
			}

		}

		Text(String field, String op, List<String> operands, boolean ignoreCase) {
			this(field, op, ignoreCase ? operands.stream().map((o) -> o.toLowerCase(Locale.ROOT)).toList() : operands,
					ignoreCase, Op.of(op), op.startsWith("not_"));
		}

		@Override
		public boolean test(String text, String folded, Target target) {
			if (this.kind == Op.EXISTS) {
				return text != null;
			}
			boolean any = false;
			if (text != null) {
				String subject = this.ignoreCase ? folded : text;
				for (String operand : this.operands) {
					if (holds(subject, operand)) {
						any = true;
						break;
					}
				}
			}
			return answer(text, any);
		}

		/**
		 * The condition's answer once it is known whether any operand holds in the text
		 * (as {@link RuleWords} knows it for {@code contains}).
		 */
		boolean answer(String text, boolean anyHolds) {
			return (text == null) ? this.negated : anyHolds != this.negated;
		}

		private boolean holds(String subject, String operand) {
			return switch (this.kind) {
				case EQUALS -> subject.equals(operand);
				case CONTAINS -> subject.contains(operand);
				case STARTS_WITH -> subject.startsWith(operand);
				case ENDS_WITH -> subject.endsWith(operand);
				case EXISTS -> true;
			};
		}

	}

	/** {@code matches} and {@code not_matches}. */
	record Regex(String field, List<Pattern> patterns, boolean negated) implements FieldMatcher {

		@Override
		public boolean test(String text, String folded, Target target) {
			if (text == null) {
				return this.negated;
			}
			for (Pattern pattern : this.patterns) {
				Matcher matcher = pattern.matcher(new Budgeted(text, REGEX_BUDGET));
				try {
					if (matcher.find()) {
						if (!this.negated && pattern.namedGroups().containsKey("target")
								&& matcher.group("target") != null) {
							target.found(matcher.group("target").toLowerCase(Locale.ROOT));
						}
						return !this.negated;
					}
				}
				catch (Budgeted.Exhausted ex) {
					// a pattern that backtracks this much is treated as not matching
					return false;
				}
			}
			return this.negated;
		}

	}

	/** Text that stops a regex engine after it has read too many characters. */
	final class Budgeted implements CharSequence {

		static final class Exhausted extends RuntimeException {

			Exhausted() {
				super("regular expression budget exhausted", null, false, false);
			}

		}

		private final String text;

		private int left;

		Budgeted(String text, int budget) {
			this.text = text;
			this.left = budget;
		}

		@Override
		public char charAt(int index) {
			if (--this.left < 0) {
				throw new Exhausted();
			}
			return this.text.charAt(index);
		}

		@Override
		public int length() {
			return this.text.length();
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return this.text.substring(start, end);
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

}
