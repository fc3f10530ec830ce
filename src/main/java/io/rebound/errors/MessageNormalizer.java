package io.rebound.errors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the volatile parts of an error message (timestamps, UUIDs, URLs, IPs, paths,
 * hex ids, quoted values, numbers) with placeholders, so that repeats of one failure
 * share a fingerprint. One pass over the text: at each token start only the shapes that
 * can begin with that character are tried, anchored there, widest first; ordinary words
 * are copied whole, so digits inside words ({@code utf8}, {@code http2}) stay. Changing a
 * rule changes fingerprints, so it means a new {@link Fingerprinter#VERSION}.
 */
final class MessageNormalizer {

	/** Only the head of a message takes part: a long traceback must not split groups. */
	static final int MAX_LENGTH = 2048;

	private static final Pattern TIMESTAMP = Pattern
		.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?");

	private static final Pattern UUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9a-zA-Z])");

	private static final Pattern URL = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s'\"<>]+");

	private static final Pattern IPV4 = Pattern.compile("(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?(?![0-9])");

	private static final Pattern IPV6 = Pattern.compile("(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}(?![0-9a-zA-Z])");

	private static final Pattern PATH = Pattern.compile("(?:[A-Za-z]:)?(?:[\\\\/][\\w.@~+-]+){2,}[\\\\/]?");

	private static final Pattern HEX = Pattern
		.compile("(?:0[xX][0-9a-fA-F]+|(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,})(?![0-9a-zA-Z])");

	private static final Pattern QUOTED = Pattern.compile("'[^'\\n]{0,256}'|\"[^\"\\n]{0,256}\"|`[^`\\n]{0,256}`");

	private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(?:[.,]\\d+)*(?:[eE][-+]?\\d+)?");

	private enum Shape {

		TS("<ts>", TIMESTAMP), ID("<uuid>", UUID), LINK("<url>", URL), IP4("<ip>", IPV4), IP6("<ip>", IPV6),
		FILE("<path>", PATH), HEXID("<hex>", HEX), STR("<str>", QUOTED), NUM("<n>", NUMBER);

		private final String placeholder;

		private final Pattern pattern;

		Shape(String placeholder, Pattern pattern) {
			this.placeholder = placeholder;
			this.pattern = pattern;
		}

	}

	/**
	 * {@link Character#isWhitespace}, {@link Character#isLetter} and word characters for
	 * ASCII, looked up rather than asked of the Unicode tables for every character.
	 */
	private static final byte WHITESPACE = 1, LETTER = 2, WORD = 4, HEX_DIGIT = 8;

	private static final byte[] ASCII = new byte[128];

	static {
		for (char c = 0; c < 128; c++) {
			ASCII[c] = (byte) ((Character.isWhitespace(c) ? WHITESPACE : 0) | (Character.isLetter(c) ? LETTER : 0)
					| ((Character.isLetterOrDigit(c) || c == '_') ? WORD : 0)
					| ((Character.digit(c, 16) >= 0) ? HEX_DIGIT : 0));
		}
	}

	private MessageNormalizer() {
	}

	static String normalize(String message) {
		String text = (message.length() > MAX_LENGTH) ? message.substring(0, MAX_LENGTH) : message;
		Scanner scanner = new Scanner(text);
		while (scanner.hasMore()) {
			scanner.step();
		}
		return scanner.out.toString().strip();
	}

	private static final class Scanner {

		private final String text;

		private final StringBuilder out;

		private int at;

		/** One matcher per shape for the whole message, created when first needed. */
		private final Matcher[] matchers = new Matcher[Shape.values().length];

		Scanner(String text) {
			this.text = text;
			this.out = new StringBuilder(text.length());
		}

		boolean hasMore() {
			return this.at < this.text.length();
		}

		/**
		 * One token. Cheap look-ahead (runs of digits or hex digits and the character
		 * after them) decides which shapes are worth a regex; most tokens need none.
		 */
		void step() {
			char c = this.text.charAt(this.at);
			boolean tokenStart = this.at == 0 || !isWordChar(this.text.charAt(this.at - 1));
			if (isWhitespace(c)) {
				whitespace();
				return;
			}
			boolean replaced = false;
			if (tokenStart && isDigit(c)) {
				int digits = run(this.at, true);
				int hex = run(this.at, false);
				replaced = (digits == 4 && charAt(this.at + 4) == '-' && replace(Shape.TS))
						|| (hex == 8 && charAt(this.at + 8) == '-' && replace(Shape.ID))
						|| (digits <= 3 && charAt(this.at + digits) == '.' && replace(Shape.IP4))
						|| (hex <= 4 && charAt(this.at + hex) == ':' && replace(Shape.IP6))
						|| ((hex >= 8 || (c == '0' && (charAt(this.at + 1) | 0x20) == 'x')) && replace(Shape.HEXID))
						|| replace(Shape.NUM);
			}
			else if (tokenStart && (c == '-' || c == '+') && isDigit(charAt(this.at + 1))) {
				replaced = replace(Shape.NUM);
			}
			else if (tokenStart && isLetter(c)) {
				int hex = run(this.at, false);
				replaced = (charAt(this.at + 1) == ':' && replace(Shape.FILE)) || (isUrlScheme() && replace(Shape.LINK))
						|| (hex == 8 && charAt(this.at + 8) == '-' && replace(Shape.ID))
						|| (hex >= 1 && hex <= 4 && charAt(this.at + hex) == ':' && replace(Shape.IP6))
						|| (hex >= 8 && replace(Shape.HEXID));
				if (!replaced) {
					copyWord();
					return;
				}
			}
			else if (c == '/' || c == '\\') {
				replaced = replace(Shape.FILE);
			}
			else if (c == '\'' || c == '"' || c == '`') {
				replaced = replace(Shape.STR);
			}
			if (!replaced) {
				copyOne();
			}
		}

		/** Whether a URL scheme and {@code ://} start here. */
		private boolean isUrlScheme() {
			int end = this.at;
			while (end < this.text.length()
					&& (isWordChar(this.text.charAt(end)) || "+.-".indexOf(this.text.charAt(end)) >= 0)) {
				end++;
			}
			return this.text.startsWith("://", end);
		}

		/** The length of the run of decimal (or hex) digits starting at {@code from}. */
		private int run(int from, boolean decimal) {
			int end = from;
			while (end < this.text.length()
					&& (decimal ? isDigit(this.text.charAt(end)) : isHexDigit(this.text.charAt(end)))) {
				end++;
			}
			return end - from;
		}

		/** Replaces the shape if it matches here. */
		private boolean replace(Shape shape) {
			Matcher matcher = this.matchers[shape.ordinal()];
			if (matcher == null) {
				matcher = shape.pattern.matcher(this.text).useTransparentBounds(true);
				this.matchers[shape.ordinal()] = matcher;
			}
			matcher.region(this.at, this.text.length());
			if (matcher.lookingAt()) {
				this.out.append(shape.placeholder);
				this.at = matcher.end();
				return true;
			}
			return false;
		}

		private char charAt(int index) {
			return (index < this.text.length()) ? this.text.charAt(index) : 0;
		}

		private void whitespace() {
			while (this.at < this.text.length() && isWhitespace(this.text.charAt(this.at))) {
				this.at++;
			}
			this.out.append(' ');
		}

		private void copyWord() {
			int start = this.at;
			while (this.at < this.text.length() && isWordChar(this.text.charAt(this.at))) {
				this.at++;
			}
			this.out.append(this.text, start, this.at);
		}

		private void copyOne() {
			this.out.append(this.text.charAt(this.at++));
		}

		private static boolean isDigit(char c) {
			return c >= '0' && c <= '9';
		}

		private static boolean isWordChar(char c) {
			return (c < 128) ? (ASCII[c] & WORD) != 0 : Character.isLetterOrDigit(c) || c == '_';
		}

		private static boolean isWhitespace(char c) {
			return (c < 128) ? (ASCII[c] & WHITESPACE) != 0 : Character.isWhitespace(c);
		}

		private static boolean isHexDigit(char c) {
			return c < 128 && (ASCII[c] & HEX_DIGIT) != 0;
		}

		private static boolean isLetter(char c) {
			return (c < 128) ? (ASCII[c] & LETTER) != 0 : Character.isLetter(c);
		}

	}

}
