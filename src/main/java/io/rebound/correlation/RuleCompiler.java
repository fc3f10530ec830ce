package io.rebound.correlation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.rebound.errors.Category;
import io.rebound.web.ProblemException;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;

/**
 * Checks a rule field by field and compiles it; a rule with any fault is refused whole,
 * with every fault listed, so a bad regex never reaches the ingest path.
 */
final class RuleCompiler {

	static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

	static final Pattern CAUSE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

	private static final Pattern FIELD = Pattern
		.compile("source|type|severity|category|message|context(\\.[A-Za-z0-9_-]{1,64}){1,8}");

	private static final Set<String> TEXT_OPS = Set.of("equals", "not_equals", "contains", "not_contains",
			"starts_with", "ends_with", "in", "exists");

	private static final Set<String> CLASSES = Set.of("transient", "recoverable", "fatal");

	private static final Set<String> PARTS = Set.of("source", "type", "message", "cause", "group");

	private final CorrelationProperties.Incident defaults;

	RuleCompiler(CorrelationProperties.Incident defaults) {
		this.defaults = defaults;
	}

	/** Compiles the rule or throws a 400 problem listing every fault. */
	CompiledRule compile(Rule rule) {
		List<Map<String, String>> faults = new ArrayList<>();
		CompiledRule compiled = compile(rule, faults);
		if (!faults.isEmpty()) {
			String id = (rule.id() != null) ? "'" + rule.id() + "'" : "without an id";
			throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-rule", "Invalid correlation rule",
					"The rule " + id + " has " + faults.size() + " problem(s); it was not saved.",
					Map.of("errors", faults));
		}
		return compiled;
	}

	private CompiledRule compile(Rule rule, List<Map<String, String>> faults) {
		check(rule.id() != null && ID.matcher(rule.id()).matches(), "id", "must match [a-z0-9][a-z0-9._-]{0,63}",
				faults);
		check(rule.cause() != null && CAUSE.matcher(rule.cause()).matches(), "cause",
				"is required and must match [a-z0-9][a-z0-9_.-]{0,63}", faults);
		check(rule.description() == null || rule.description().length() <= 500, "description",
				"is longer than 500 characters", faults);
		check(rule.priority() == null || (rule.priority() >= 0 && rule.priority() <= 100_000), "priority",
				"must be from 0 to 100000", faults);
		check(rule.confidence() == null || (rule.confidence() >= 0 && rule.confidence() <= 1), "confidence",
				"must be from 0 to 1", faults);
		check(rule.errorClass() == null || CLASSES.contains(rule.errorClass()), "error_class",
				"must be one of " + CLASSES, faults);
		RecoveryDirective recovery = RecoveryDirective.tryParse(rule.recovery());
		check(rule.recovery() == null || recovery != null, "recovery", "must be " + RecoveryDirective.FORM, faults);
		Category category = (rule.category() != null) ? Category.fromWire(rule.category()) : null;
		check(rule.category() == null || category != null, "category", "'" + rule.category() + "' is not a category",
				faults);
		if (rule.fingerprint() != null) {
			check(!rule.fingerprint().isEmpty() && rule.fingerprint().size() <= 8, "fingerprint",
					"must list 1 to 8 parts (" + PARTS + " or literal text)", faults);
			for (String part : rule.fingerprint()) {
				check(part != null && !part.isBlank() && part.length() <= 128, "fingerprint",
						"parts must be non-empty text of at most 128 characters", faults);
			}
		}
		List<FieldMatcher> conditions = new ArrayList<>();
		if (rule.match() == null || rule.match().isEmpty()) {
			faults.add(fault("match", "needs at least one condition"));
		}
		else if (rule.match().size() > 16) {
			faults.add(fault("match", "has " + rule.match().size() + " conditions; at most 16 are allowed"));
		}
		else {
			for (int i = 0; i < rule.match().size(); i++) {
				FieldMatcher matcher = condition(rule.match().get(i), "match[" + i + "]", faults);
				if (matcher != null) {
					conditions.add(matcher);
				}
			}
		}
		CompiledRule.Trigger trigger = trigger(rule.incident(), faults);
		// plain comparisons first: a regular expression runs only when they all hold
		conditions.sort(java.util.Comparator.comparingInt((c) -> (c instanceof FieldMatcher.Regex) ? 1 : 0));
		return faults.isEmpty() ? new CompiledRule(rule, List.copyOf(conditions), category, recovery, trigger) : null;
	}

	private FieldMatcher condition(Rule.Condition condition, String at, List<Map<String, String>> faults) {
		if (condition == null) {
			faults.add(fault(at, "is empty"));
			return null;
		}
		int before = faults.size();
		check(condition.field() != null && FIELD.matcher(condition.field()).matches(), at + ".field",
				"must be source, type, severity, category, message or context.<key>[.<key>…]", faults);
		String op = condition.op();
		boolean regex = "matches".equals(op) || "not_matches".equals(op);
		check(op != null && (regex || TEXT_OPS.contains(op)), at + ".op",
				"must be one of " + TEXT_OPS + ", matches or not_matches", faults);
		List<String> operands = new ArrayList<>();
		if (condition.value() != null) {
			operands.add(condition.value());
		}
		if (condition.values() != null) {
			operands.addAll(condition.values());
		}
		boolean exists = "exists".equals(op);
		check(exists || !operands.isEmpty(), at, "needs 'value' or 'values'", faults);
		check(operands.size() <= 64 && operands.stream().allMatch((o) -> o != null && o.length() <= 1000), at,
				"takes at most 64 operands of at most 1000 characters", faults);
		boolean ignoreCase = condition.ignoreCase() == null || condition.ignoreCase();
		if (faults.size() > before) {
			return null;
		}
		if (!regex) {
			return new FieldMatcher.Text(condition.field(), op, List.copyOf(operands), ignoreCase);
		}
		List<Pattern> patterns = new ArrayList<>();
		for (String operand : operands) {
			try {
				patterns.add(Pattern.compile(operand, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
			}
			catch (PatternSyntaxException ex) {
				faults.add(fault(at + ".value",
						"is not a valid regular expression: " + ex.getDescription() + " near index " + ex.getIndex()));
			}
		}
		return (faults.size() > before) ? null
				: new FieldMatcher.Regex(condition.field(), List.copyOf(patterns), op.equals("not_matches"));
	}

	private CompiledRule.Trigger trigger(Rule.IncidentTrigger incident, List<Map<String, String>> faults) {
		CompiledRule.Trigger fallback = new CompiledRule.Trigger(false, this.defaults.minErrors(),
				this.defaults.minSources(), this.defaults.window());
		if (incident == null) {
			return fallback;
		}
		check(incident.group() == null || Set.of("cause", "source").contains(incident.group()), "incident.group",
				"must be cause or source", faults);
		check(incident.minErrors() == null || (incident.minErrors() >= 1 && incident.minErrors() <= 100_000),
				"incident.min_errors", "must be from 1 to 100000", faults);
		check(incident.minSources() == null || (incident.minSources() >= 1 && incident.minSources() <= 10_000),
				"incident.min_sources", "must be from 1 to 10000", faults);
		Duration window = fallback.window();
		if (incident.window() != null) {
			try {
				window = DurationStyle.detectAndParse(incident.window());
				check(!window.isNegative() && !window.isZero() && window.compareTo(Duration.ofDays(1)) <= 0,
						"incident.window", "must be more than 0 and at most 1d", faults);
			}
			catch (IllegalArgumentException ex) {
				faults.add(fault("incident.window", "'" + incident.window() + "' is not a duration such as 5m"));
			}
		}
		boolean bySource = "source".equals(incident.group());
		return new CompiledRule.Trigger(bySource,
				(incident.minErrors() != null) ? incident.minErrors() : fallback.minErrors(),
				(incident.minSources() != null) ? incident.minSources() : (bySource ? 1 : fallback.minSources()),
				window);
	}

	private static void check(boolean ok, String field, String reason, List<Map<String, String>> faults) {
		if (!ok) {
			faults.add(fault(field, reason));
		}
	}

	private static Map<String, String> fault(String field, String reason) {
		return Map.of("field", field, "reason", reason);
	}

}
