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

	private record Shape(String placeholder, Pattern pattern) {
	}

	private static final Shape[] DIGIT_SHAPES = { new Shape("<ts>", TIMESTAMP), new Shape("<uuid>", UUID),
			new Shape("<ip>", IPV4), new Shape("<ip>", IPV6), new Shape("<hex>", HEX), new Shape("<n>", NUMBER) };

	private static final Shape[] HEX_LETTER_SHAPES = { new Shape("<uuid>", UUID), new Shape("<ip>", IPV6),
			new Shape("<hex>", HEX) };

	private static final Shape[] SIGNED_NUMBER = { new Shape("<n>", NUMBER) };

	private static final Shape[] URLS = { new Shape("<url>", URL) };

	private static final Shape[] PATHS = { new Shape("<path>", PATH) };

	private static final Shape[] STRINGS = { new Shape("<str>", QUOTED) };

	private static final Shape[] NONE = {};

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

		Scanner(String text) {
			this.text = text;
			this.out = new StringBuilder(text.length());
		}

		boolean hasMore() {
			return this.at < this.text.length();
		}

		void step() {
			char c = this.text.charAt(this.at);
			boolean tokenStart = this.at == 0 || !isWordChar(this.text.charAt(this.at - 1));
			if (Character.isWhitespace(c)) {
				whitespace();
			}
			else if (tokenStart && isDigit(c)) {
				replace(DIGIT_SHAPES);
			}
			else if (tokenStart && (c == '-' || c == '+') && isDigit(charAt(this.at + 1))) {
				replace(SIGNED_NUMBER);
			}
			else if (tokenStart && Character.isLetter(c)) {
				if (!replace(letterShapes(c))) {
					copyWord();
				}
			}
			else if (c == '/' || c == '\\') {
				replace(PATHS);
			}
			else if (c == '\'' || c == '"' || c == '`') {
				replace(STRINGS);
			}
			else {
				copyOne();
			}
		}

		/**
		 * The shapes a token starting with this letter can have; most words have none.
		 */
		private Shape[] letterShapes(char c) {
			if (charAt(this.at + 1) == ':') {
				return PATHS;
			}
			int end = this.at;
			while (end < this.text.length()
					&& (isWordChar(this.text.charAt(end)) || "+.-".indexOf(this.text.charAt(end)) >= 0)) {
				end++;
			}
			if (this.text.startsWith("://", end)) {
				return URLS;
			}
			return (Character.digit(c, 16) >= 0) ? HEX_LETTER_SHAPES : NONE;
		}

		/**
		 * Replaces the first shape that matches here; copies one character when none
		 * does.
		 */
		private boolean replace(Shape[] shapes) {
			for (Shape shape : shapes) {
				Matcher matcher = shape.pattern().matcher(this.text).region(this.at, this.text.length());
				matcher.useTransparentBounds(true);
				if (matcher.lookingAt()) {
					this.out.append(shape.placeholder());
					this.at = matcher.end();
					return true;
				}
			}
			if (shapes != NONE && shapes != HEX_LETTER_SHAPES) {
				copyOne();
			}
			return false;
		}

		private char charAt(int index) {
			return (index < this.text.length()) ? this.text.charAt(index) : 0;
		}

		private void whitespace() {
			while (this.at < this.text.length() && Character.isWhitespace(this.text.charAt(this.at))) {
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
			return Character.isLetterOrDigit(c) || c == '_';
		}

	}

}
