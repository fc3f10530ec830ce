package io.rebound.errors;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the volatile parts of an error message (timestamps, UUIDs, IPs, URLs, paths,
 * hex ids, quoted values, numbers) with placeholders, so that repeats of one failure
 * share a fingerprint. The order matters: wider shapes first, bare numbers last. Changing
 * a rule changes fingerprints, so it means a new {@link Fingerprinter#VERSION}.
 */
final class MessageNormalizer {

	/** Only the head of a message takes part: a long traceback must not split groups. */
	static final int MAX_LENGTH = 2048;

	private record Rule(Pattern pattern, String placeholder) {
	}

	private static final List<Rule> RULES = List.of(
			rule("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?", "<ts>"),
			rule("(?i)\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b", "<uuid>"),
			rule("(?i)\\b[a-z][a-z0-9+.-]*://[^\\s'\"<>]+", "<url>"),
			rule("\\b(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?\\b", "<ip>"),
			rule("(?i)(?<![\\w:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\\b", "<ip>"),
			rule("(?i)(?:\\b[a-z]:)?(?:[\\\\/][\\w.@~+-]+){2,}[\\\\/]?", "<path>"),
			rule("(?i)\\b0x[0-9a-f]+\\b", "<hex>"),
			rule("(?i)\\b(?=[0-9a-f]*\\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\\b", "<hex>"),
			rule("'[^'\\n]{0,256}'|\"[^\"\\n]{0,256}\"|`[^`\\n]{0,256}`", "<str>"),
			rule("(?<![A-Za-z_])[-+]?\\d+(?:[.,]\\d+)*(?:e[-+]?\\d+)?", "<n>"), rule("\\s+", " "));

	private MessageNormalizer() {
	}

	static String normalize(String message) {
		String text = (message.length() > MAX_LENGTH) ? message.substring(0, MAX_LENGTH) : message;
		for (Rule rule : RULES) {
			Matcher matcher = rule.pattern().matcher(text);
			if (matcher.find()) {
				text = matcher.replaceAll(rule.placeholder());
			}
		}
		return text.strip();
	}

	private static Rule rule(String regex, String placeholder) {
		return new Rule(Pattern.compile(regex), placeholder);
	}

}
