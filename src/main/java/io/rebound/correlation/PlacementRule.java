package io.rebound.correlation;

import io.rebound.errors.ErrorFacts.Fact;

/**
 * One step of deciding where an error belongs, a pure function over a read-only view of
 * the round (in the spirit of Alertmanager's one-method {@code Muter}): it places the
 * error, or passes it on to the next rule with a note of why it did not.
 * {@link PlacementRules} lists them in order.
 */
@FunctionalInterface
interface PlacementRule {

	Outcome place(Fact error, RoundView round);

	/** What a rule made of an error. */
	sealed interface Outcome {

	}

	/**
	 * The error goes here: the rules after this one are not asked.
	 *
	 * @param decision where
	 */
	record Placed(Decision decision) implements Outcome {
	}

	/**
	 * Not this rule's to place.
	 *
	 * @param note why, for the reason of an error that stays outside any incident, or
	 * {@code null}
	 */
	record Passed(String note) implements Outcome {

		static final Passed QUIETLY = new Passed(null);

	}

}
