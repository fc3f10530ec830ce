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
 * @param words their {@code contains} words, found in one pass per field
 */
record RuleSet(long version, List<CompiledRule> rules, RuleWords words) {

	static final RuleSet EMPTY = of(-1, List.of());

	static RuleSet of(long version, List<CompiledRule> rules) {
		List<CompiledRule> ordered = new ArrayList<>(rules.stream().filter((r) -> r.rule().isEnabled()).toList());
		ordered.sort(Comparator.comparingInt(CompiledRule::priority).thenComparing(CompiledRule::id));
		return new RuleSet(version, List.copyOf(ordered), RuleWords.of(ordered));
	}

	Classification classify(Classifier.Fields event) {
		return match(event).classification();
	}

	/** The first rule that matches and its verdict, or {@link Match#NONE}. */
	Match match(Classifier.Fields event) {
		Fields fields = new Fields(event, this.words);
		for (int r = 0; r < this.rules.size(); r++) {
			CompiledRule rule = this.rules.get(r);
			fields.target = null;
			if (matches(r, rule, fields)) {
				return new Match(rule, rule.verdict(fields.target));
			}
		}
		return Match.NONE;
	}

	// runs for every rule of every event: no allocation per condition
	private boolean matches(int r, CompiledRule rule, Fields fields) {
		List<FieldMatcher> conditions = rule.conditions();
		for (int c = 0; c < conditions.size(); c++) {
			FieldMatcher condition = conditions.get(c);
			String field = condition.field();
			String text = fields.text(field);
			RuleWords.Lookup words = this.words.lookup(r, c);
			boolean holds;
			if (words != null) {
				// from the field's one scan
				holds = ((FieldMatcher.Text) condition).answer(text,
						text != null && RuleWords.anyFound(words, fields.found(words.scan(), text)));
			}
			else {
				holds = condition.test(text, (text != null) ? fields.folded(field, text) : null, fields);
			}
			if (!holds) {
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

	/**
	 * An event's fields as text, each lower-cased at most once, and the group a rule's
	 * regex found.
	 */
	private static final class Fields implements FieldMatcher.Target {

		private final Classifier.Fields event;

		private final RuleWords words;

		private final Map<String, String> folded = new HashMap<>(4);

		/** Per scan, the words found, once read. */
		private final long[][] found;

		private JsonNode context;

		String target;

		Fields(Classifier.Fields event, RuleWords words) {
			this.event = event;
			this.words = words;
			this.found = new long[words.scans()][];
		}

		long[] found(int scan, String text) {
			long[] found = this.found[scan];
			if (found == null) {
				String subject = this.words.ignoreCase(scan) ? folded(this.words.field(scan), text) : text;
				found = this.words.find(scan, subject);
				this.found[scan] = found;
			}
			return found;
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
			String folded = this.folded.get(field);
			if (folded == null) {
				folded = text.toLowerCase(Locale.ROOT);
				this.folded.put(field, folded);
			}
			return folded;
		}

		@Override
		public void found(String value) {
			this.target = value;
		}

		private String context(String path) {
			if (this.context == null) {
				this.context = this.event.context().get();
			}
			JsonNode node = this.context;
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
