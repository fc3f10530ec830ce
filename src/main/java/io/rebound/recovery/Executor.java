package io.rebound.recovery;

import java.time.Duration;
import java.util.UUID;

/**
 * Carries one kind of action out ({@code http}, {@code kubernetes}, {@code command}). An
 * accepted action means the executor did it — never that the agent recovered.
 */
interface Executor {

	/** The kind of action it carries out. */
	String kind();

	Outcome execute(Strategy.Action action, Context context, Duration timeout);

	/**
	 * What the action is for.
	 *
	 * @param runId the recovery run, or {@code null} outside one
	 * @param attemptId the attempt, or {@code null} outside one
	 * @param incidentId the incident
	 * @param level the ladder's level
	 * @param strategy the strategy
	 */
	record Context(UUID runId, UUID attemptId, UUID incidentId, int level, String strategy) {

		Context(UUID incidentId, int level, String strategy) {
			this(null, null, incidentId, level, strategy);
		}

	}

	/**
	 * The executor's answer.
	 *
	 * @param accepted whether it was carried out
	 * @param detail what was done and how it answered
	 * @param notApplicable whether the agent answered that the action does not apply
	 * there ({@code 409}): it was not carried out, and says nothing of the strategy
	 */
	record Outcome(boolean accepted, String detail, boolean notApplicable) {

		Outcome(boolean accepted, String detail) {
			this(accepted, detail, false);
		}

	}

}
