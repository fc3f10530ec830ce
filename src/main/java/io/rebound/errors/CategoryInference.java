package io.rebound.errors;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Infers an event's category from its type and message when the agent sent none. The
 * first rule whose words appear wins; correlation rules may refine it later.
 */
public final class CategoryInference {

	private record Rule(Category category, Pattern words) {
	}

	private static final List<Rule> RULES = List.of(rule(Category.SECURITY,
			"unauthori[sz]ed|forbidden|permission denied|access denied|authentication|authori[sz]ation|"
					+ "invalid token|expired token|credential|certificate|\\bssl\\b|\\btls\\b|\\b401\\b|\\b403\\b"),
			rule(Category.DATABASE,
					"database|\\bsql|postgres|mysql|sqlite|duckdb|deadlock|lock timeout|\\bquery\\b|transaction"),
			rule(Category.RESOURCE,
					"out of memory|outofmemory|\\boom\\b|memory|disk full|no space left|quota|too many open files|"
							+ "rate limit|\\b429\\b|\\bcpu\\b|resource"),
			rule(Category.NETWORK,
					"connection|connect|network|socket|timeout|timed out|\\bdns\\b|resolve host|unreachable|"
							+ "\\bhttp\\b|\\b50[234]\\b|refused|reset by peer"),
			rule(Category.CONFIGURATION, "config|setting|environment variable|\\benv\\b|yaml|\\btoml\\b|missing key"),
			rule(Category.HARDWARE, "\\bgpu\\b|cuda|device|hardware|sensor|\\bdisk i/o\\b"),
			rule(Category.INPUT,
					"invalid input|validation|malformed|parse error|bad request|\\b400\\b|unexpected token"),
			rule(Category.WORKER, "worker|\\btask\\b|\\bjob\\b|queue|agent"),
			rule(Category.SYSTEM, "crash|segfault|segmentation|killed|signal|process|exit code|panic|module|import"));

	private CategoryInference() {
	}

	public static Category infer(String type, String message) {
		// the head of a message names the failure; a long traceback adds only cost
		String head = (message.length() > 1024) ? message.substring(0, 1024) : message;
		String text = (type + " " + head).toLowerCase(Locale.ROOT).replace('_', ' ');
		for (Rule rule : RULES) {
			if (rule.words().matcher(text).find()) {
				return rule.category();
			}
		}
		return Category.UNKNOWN;
	}

	private static Rule rule(Category category, String words) {
		return new Rule(category, Pattern.compile(words));
	}

}
