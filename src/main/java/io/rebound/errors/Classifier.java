package io.rebound.errors;

import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;

/**
 * Classifies each event as it is read, before it is stored: the correlation feature plugs
 * its rules in here, so that a rule can also decide how events group.
 */
@FunctionalInterface
public interface Classifier {

	/** Classifies nothing. */
	Classifier NONE = (event) -> Classification.NONE;

	Classification classify(Fields event);

	/**
	 * An event's fields as rules see them.
	 *
	 * @param source the reporting agent
	 * @param type its error type
	 * @param severity how bad
	 * @param category the agent's category, or the inferred one
	 * @param message the whole message
	 * @param context gives the context object, or {@code null}; the ingest path keeps the
	 * context as text and builds the tree only when a rule reads it
	 */
	record Fields(String source, String type, Severity severity, Category category, String message,
			Supplier<JsonNode> context) {

		public Fields(String source, String type, Severity severity, Category category, String message,
				JsonNode context) {
			this(source, type, severity, category, message, () -> context);
		}

	}

}
