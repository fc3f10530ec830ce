package io.rebound.correlation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a rule recommends recovery do about the incidents it opens, parsed once where
 * rules are compiled and carried typed from there: start at a level, start with a named
 * strategy, or leave it to a person. Its wire form ({@code level:<1-5>},
 * {@code strategy:<name>}, {@code human}) is what rules are written in and what is
 * stored.
 */
public sealed interface RecoveryDirective {

	/** Start at this level of the ladder (1 to 5). */
	record Level(int level) implements RecoveryDirective {

		public Level {
			if (level < 1 || level > 5) {
				throw new IllegalArgumentException("a level is 1 to 5, not " + level);
			}
		}

		@Override
		public String wire() {
			return "level:" + this.level;
		}

	}

	/** Start with this strategy, at its level. */
	record UseStrategy(String strategy) implements RecoveryDirective {

		@Override
		public String wire() {
			return "strategy:" + this.strategy;
		}

	}

	/** Not for automatic recovery: a person acts, or approves. */
	record Person() implements RecoveryDirective {

		@Override
		public String wire() {
			return "human";
		}

	}

	/** How rules spell it, and how it is stored and serialized. */
	@JsonValue
	String wire();

	/** The description of the wire form, for errors that name it. */
	String FORM = "level:<1-5>, strategy:<name> or human";

	/**
	 * The directive spelled {@code value}, or {@code null} for {@code null}.
	 * @param value the wire form
	 * @return the directive
	 * @throws IllegalArgumentException when it is not one ({@link #FORM})
	 */
	@JsonCreator
	static RecoveryDirective parse(String value) {
		if (value == null) {
			return null;
		}
		if (value.equals("human")) {
			return new Person();
		}
		if (value.matches("level:[1-5]")) {
			return new Level(value.charAt(6) - '0');
		}
		if (value.matches("strategy:[a-z0-9_-]{1,64}")) {
			return new UseStrategy(value.substring(9));
		}
		throw new IllegalArgumentException("'" + value + "' must be " + FORM);
	}

	/**
	 * The directive spelled {@code value}, for values that were checked before (stored
	 * after their rule was compiled).
	 * @param value the stored wire form, or {@code null}
	 * @return the directive, or {@code null} when there is none or it is not one
	 */
	static RecoveryDirective tryParse(String value) {
		try {
			return parse(value);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The wire form of a directive.
	 * @param directive the directive, or {@code null}
	 * @return its wire form, or {@code null}
	 */
	static String wire(RecoveryDirective directive) {
		return (directive != null) ? directive.wire() : null;
	}

}
