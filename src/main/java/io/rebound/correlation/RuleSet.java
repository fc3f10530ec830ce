package io.rebound.correlation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.rebound.errors.Classification;
import io.rebound.errors.Classifier;
import tools.jackson.databind.JsonNode;

/**
 * The enabled rules in the order they run (priority, then id); the first whose conditions
 * all hold classifies the event.
 *
 * @param version the stored rule set's version this was built from
 * @param rules the enabled rules, in order
 */
record RuleSet(long version, List<CompiledRule> rules) {

	static final RuleSet EMPTY = new RuleSet(-1, List.of());

	static RuleSet of(long version, List<CompiledRule> rules) {
		List<CompiledRule> ordered = new ArrayList<>(rules.stream().filter((r) -> r.rule().isEnabled()).toList());
		ordered.sort(Comparator.comparingInt(CompiledRule::priority).thenComparing(CompiledRule::id));
		return new RuleSet(version, List.copyOf(ordered));
	}

	Classification classify(Classifier.Fields event) {
		return match(event).classification();
	}

	/** The first rule that matches and its verdict, or {@link Match#NONE}. */
	Match match(Classifier.Fields event) {
		Fields fields = new Fields(event);
		String[] target = new String[1];
		for (CompiledRule rule : this.rules) {
			target[0] = null;
			if (matches(rule, fields, target)) {
				return new Match(rule, rule.verdict(target[0]));
			}
		}
		return Match.NONE;
	}

	private static boolean matches(CompiledRule rule, Fields fields, String[] target) {
		for (FieldMatcher condition : rule.conditions()) {
			String text = fields.text(condition.field());
			if (!condition.test(text, (text != null) ? fields.folded(condition.field(), text) : null,
					(value) -> target[0] = value)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A rule and its verdict.
	 *
	 * @param rule the rule, or {@code null}
	 * @param classification its verdict
	 */
	record Match(CompiledRule rule, Classification classification) {

		static final Match NONE = new Match(null, Classification.NONE);

	}

	/** An event's fields as text, each lower-cased at most once. */
	private static final class Fields {

		private final Classifier.Fields event;

		private final Map<String, String> folded = new HashMap<>(4);

		Fields(Classifier.Fields event) {
			this.event = event;
		}

		String text(String field) {
			return switch (field) {
				case "source" -> this.event.source();
				case "type" -> this.event.type();
				case "severity" -> this.event.severity().wire();
				case "category" -> this.event.category().wire();
				case "message" -> this.event.message();
				default -> context(field.substring("context.".length()));
			};
		}

		String folded(String field, String text) {
			return this.folded.computeIfAbsent(field, (f) -> text.toLowerCase(Locale.ROOT));
		}

		private String context(String path) {
			JsonNode node = this.event.context();
			int start = 0;
			while (node != null && start <= path.length()) {
				int dot = path.indexOf('.', start);
				String key = path.substring(start, (dot < 0) ? path.length() : dot);
				node = node.isObject() ? node.get(key) : null;
				if (dot < 0) {
					break;
				}
				start = dot + 1;
			}
			if (node == null || node.isNull() || node.isMissingNode()) {
				return null;
			}
			return node.isValueNode() ? node.asString() : node.toString();
		}

	}

}
