package io.rebound.correlation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.hankcs.algorithm.AhoCorasickDoubleArrayTrie;

/**
 * The words of every {@code contains} and {@code not_contains} condition of a rule set,
 * per field and case, in one Aho–Corasick automaton each, so that an event's field is
 * read once for all of them rather than once per word per rule (21 built-in rules look
 * for about 120 words in the message; searching them one by one was half of the
 * classification's cost on the ingest path). A condition then asks whether any of its
 * words was found, which is the same answer {@link FieldMatcher.Text} gives.
 */
final class RuleWords {

	/** One automaton: a field read as sent or lower-cased, and the words looked for. */
	private record Scan(String field, boolean ignoreCase, AhoCorasickDoubleArrayTrie<Integer> trie, int words) {
	}

	/**
	 * A condition answered from a scan.
	 *
	 * @param scan index into the scans
	 * @param words the condition's words' indexes in that scan
	 */
	record Lookup(int scan, int[] words) {
	}

	private final List<Scan> scans;

	/**
	 * Per rule, per condition: its lookup, or {@code null} when it is tested directly.
	 */
	private final Lookup[][] lookups;

	private RuleWords(List<Scan> scans, Lookup[][] lookups) {
		this.scans = scans;
		this.lookups = lookups;
	}

	static RuleWords of(List<CompiledRule> rules) {
		// (field, case) -> word -> index
		Map<String, Map<String, Integer>> words = new LinkedHashMap<>();
		for (CompiledRule rule : rules) {
			for (FieldMatcher condition : rule.conditions()) {
				if (answerable(condition)) {
					FieldMatcher.Text text = (FieldMatcher.Text) condition;
					Map<String, Integer> ids = words.computeIfAbsent(key(text), (k) -> new HashMap<>());
					for (String operand : text.operands()) {
						ids.putIfAbsent(operand, ids.size());
					}
				}
			}
		}
		List<Scan> scans = new ArrayList<>();
		Map<String, Integer> scanIndex = new HashMap<>();
		for (Map.Entry<String, Map<String, Integer>> entry : words.entrySet()) {
			AhoCorasickDoubleArrayTrie<Integer> trie = new AhoCorasickDoubleArrayTrie<>();
			trie.build(new TreeMap<>(entry.getValue()));
			String key = entry.getKey();
			scanIndex.put(key, scans.size());
			scans.add(new Scan(key.substring(2), key.charAt(0) == 'i', trie, entry.getValue().size()));
		}
		Lookup[][] lookups = new Lookup[rules.size()][];
		for (int r = 0; r < rules.size(); r++) {
			List<FieldMatcher> conditions = rules.get(r).conditions();
			lookups[r] = new Lookup[conditions.size()];
			for (int c = 0; c < conditions.size(); c++) {
				if (answerable(conditions.get(c))) {
					FieldMatcher.Text text = (FieldMatcher.Text) conditions.get(c);
					Map<String, Integer> ids = words.get(key(text));
					lookups[r][c] = new Lookup(scanIndex.get(key(text)),
							text.operands().stream().mapToInt(ids::get).toArray());
				}
			}
		}
		return new RuleWords(List.copyOf(scans), lookups);
	}

	/**
	 * Conditions that look for words; one with an empty word holds for any text and is
	 * left to {@link FieldMatcher.Text}.
	 */
	private static boolean answerable(FieldMatcher condition) {
		return condition instanceof FieldMatcher.Text text && text.kind() == FieldMatcher.Text.Op.CONTAINS
				&& !text.operands().isEmpty() && text.operands().stream().noneMatch(String::isEmpty);
	}

	private static String key(FieldMatcher.Text text) {
		return (text.ignoreCase() ? "i:" : "c:") + text.field();
	}

	/** How condition {@code condition} of rule {@code rule} is answered, or null. */
	Lookup lookup(int rule, int condition) {
		return this.lookups[rule][condition];
	}

	int scans() {
		return this.scans.size();
	}

	String field(int scan) {
		return this.scans.get(scan).field();
	}

	boolean ignoreCase(int scan) {
		return this.scans.get(scan).ignoreCase();
	}

	/** The words of scan {@code scan} found in {@code text}, as bits by index. */
	long[] find(int scan, String text) {
		Scan s = this.scans.get(scan);
		long[] found = new long[(s.words() + 63) / 64];
		AhoCorasickDoubleArrayTrie.IHit<Integer> hit = (begin, end, word) -> found[word >>> 6] |= 1L << word;
		s.trie().parseText(text, hit);
		return found;
	}

	/** Whether any of the lookup's words is among those found. */
	static boolean anyFound(Lookup lookup, long[] found) {
		for (int word : lookup.words()) {
			if ((found[word >>> 6] & (1L << word)) != 0) {
				return true;
			}
		}
		return false;
	}

}
