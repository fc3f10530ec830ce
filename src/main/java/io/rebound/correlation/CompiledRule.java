package io.rebound.correlation;

import java.time.Duration;
import java.util.List;

import io.rebound.errors.Category;
import io.rebound.errors.Classification;

/**
 * A rule ready to run: its conditions compiled, its verdict and incident trigger resolved
 * against the defaults.
 *
 * @param rule the rule as written
 * @param conditions compiled conditions, all of which must hold
 * @param category the category it gives, or {@code null}
 * @param recovery what it recommends recovery do, or {@code null}
 * @param trigger when its errors make an incident
 */
record CompiledRule(Rule rule, List<FieldMatcher> conditions, Category category, RecoveryDirective recovery,
		Trigger trigger) {

	/**
	 * When errors of this rule's cause open an incident.
	 *
	 * @param bySource one incident per agent rather than one per cause
	 * @param minErrors open errors needed
	 * @param minSources agents needed
	 * @param window how far back errors count
	 */
	record Trigger(boolean bySource, int minErrors, int minSources, Duration window) {
	}

	String id() {
		return this.rule.id();
	}

	int priority() {
		return (this.rule.priority() != null) ? this.rule.priority() : 100;
	}

	/** The verdict for an event that matched, with the group key its regex found. */
	Classification verdict(String groupKey) {
		Rule r = this.rule;
		return new Classification(r.id(), r.cause(), (r.confidence() != null) ? r.confidence() : 0.8, this.category,
				r.errorClass(), RecoveryDirective.wire(this.recovery), groupKey, r.fingerprint());
	}

}
