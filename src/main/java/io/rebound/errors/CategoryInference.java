package io.rebound.errors;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Infers an event's category from its type and message when the agent sent none: the
 * words of the type and of the message's head are looked up in a table, and the category
 * of highest precedence found wins (security before database before resource, and so on).
 * Correlation rules may refine it later. One pass over the text and a hash lookup per
 * word, because this runs for every event on the ingest path.
 */
public final class CategoryInference {

	/** Only the head of a message names the failure; a long traceback adds only cost. */
	private static final int HEAD = 1024;

	/** In order of precedence: the first category is the strongest signal. */
	private static final List<Category> PRECEDENCE = List.of(Category.SECURITY, Category.DATABASE, Category.RESOURCE,
			Category.NETWORK, Category.CONFIGURATION, Category.HARDWARE, Category.INPUT, Category.WORKER,
			Category.SYSTEM);

	private static final Map<String, Category> WORDS = new HashMap<>();

	/** Phrases of more than one word, matched in the lower-cased text. */
	private static final Map<String, Category> PHRASES = new HashMap<>();

	static {
		words(Category.SECURITY, "unauthorized", "unauthorised", "forbidden", "authentication", "authorization",
				"authorisation", "credential", "credentials", "certificate", "ssl", "tls", "401", "403", "auth",
				"security");
		phrases(Category.SECURITY, "permission denied", "access denied", "invalid token", "expired token");
		words(Category.DATABASE, "database", "sql", "postgres", "postgresql", "mysql", "sqlite", "duckdb", "deadlock",
				"query", "transaction", "db");
		phrases(Category.DATABASE, "lock timeout", "lock wait");
		words(Category.RESOURCE, "memory", "outofmemory", "outofmemoryerror", "oom", "quota", "cpu", "resource", "429",
				"throttled", "ratelimit");
		phrases(Category.RESOURCE, "out of memory", "disk full", "no space left", "too many open files", "rate limit",
				"rate limited", "too many requests");
		words(Category.NETWORK, "connection", "connect", "network", "socket", "timeout", "dns", "unreachable", "http",
				"502", "503", "504", "refused", "econnrefused", "econnreset", "upstream");
		phrases(Category.NETWORK, "timed out", "resolve host", "reset by peer");
		words(Category.CONFIGURATION, "config", "configuration", "setting", "settings", "env", "yaml", "toml");
		phrases(Category.CONFIGURATION, "environment variable", "missing key");
		words(Category.HARDWARE, "gpu", "cuda", "device", "hardware", "sensor");
		words(Category.INPUT, "validation", "malformed", "400");
		phrases(Category.INPUT, "invalid input", "parse error", "bad request", "unexpected token");
		words(Category.WORKER, "worker", "task", "job", "queue", "agent");
		words(Category.SYSTEM, "crash", "crashed", "segfault", "segmentation", "killed", "signal", "process", "panic",
				"module", "import", "exit");
	}

	private CategoryInference() {
	}

	/** Inferred categories by fingerprint; bounded, since fingerprints are unbounded. */
	private static final Map<String, Category> BY_FINGERPRINT = new ConcurrentHashMap<>();

	private static final int CACHE_SIZE = 50_000;

	/**
	 * The category for events of this fingerprint, inferred from its type and normalized
	 * message, so that every event of one error gets the same category.
	 */
	public static Category infer(Fingerprint fingerprint) {
		Category known = BY_FINGERPRINT.get(fingerprint.value());
		if (known != null) {
			return known;
		}
		Category category = infer(fingerprint.inputs().type(), fingerprint.inputs().message());
		if (BY_FINGERPRINT.size() >= CACHE_SIZE) {
			BY_FINGERPRINT.clear();
		}
		BY_FINGERPRINT.put(fingerprint.value(), category);
		return category;
	}

	public static Category infer(String type, String message) {
		String head = (message.length() > HEAD) ? message.substring(0, HEAD) : message;
		String text = (type + " " + head).toLowerCase(Locale.ROOT).replace('_', ' ');
		int best = PRECEDENCE.size();
		int start = -1;
		for (int i = 0; i <= text.length(); i++) {
			boolean wordChar = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
			if (wordChar && start < 0) {
				start = i;
			}
			else if (!wordChar && start >= 0) {
				best = Math.min(best, rank(WORDS.get(text.substring(start, i))));
				start = -1;
			}
		}
		for (Map.Entry<String, Category> phrase : PHRASES.entrySet()) {
			int rank = rank(phrase.getValue());
			if (rank < best && text.contains(phrase.getKey())) {
				best = rank;
			}
		}
		return (best < PRECEDENCE.size()) ? PRECEDENCE.get(best) : Category.UNKNOWN;
	}

	private static int rank(Category category) {
		return (category != null) ? PRECEDENCE.indexOf(category) : PRECEDENCE.size();
	}

	private static void words(Category category, String... words) {
		for (String word : words) {
			WORDS.put(word, category);
		}
	}

	private static void phrases(Category category, String... phrases) {
		for (String phrase : phrases) {
			PHRASES.put(phrase, category);
		}
	}

}
