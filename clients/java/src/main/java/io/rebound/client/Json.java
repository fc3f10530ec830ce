package io.rebound.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the client needs, so it depends on nothing: writing maps, lists,
 * strings, numbers and booleans (anything else as its text), and reading the control
 * calls and problem details Rebound sends.
 */
final class Json {

	private Json() {
	}

	static String write(Object value) {
		StringBuilder out = new StringBuilder(256);
		write(value, out);
		return out.toString();
	}

	static void write(Object value, StringBuilder out) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!first) {
					out.append(',');
				}
				first = false;
				string(String.valueOf(entry.getKey()), out);
				out.append(':');
				write(entry.getValue(), out);
			}
			out.append('}');
		}
		else if (value instanceof Collection<?> list) {
			out.append('[');
			boolean first = true;
			for (Object item : list) {
				if (!first) {
					out.append(',');
				}
				first = false;
				write(item, out);
			}
			out.append(']');
		}
		else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
				|| value instanceof Short) {
			out.append(value);
		}
		else if (value instanceof Number number) {
			double d = number.doubleValue();
			if (Double.isFinite(d)) {
				out.append(number);
			}
			else {
				out.append("null");
			}
		}
		else {
			string(String.valueOf(value), out);
		}
	}

	private static void string(String text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	/** Reads one JSON value: maps, lists, strings, {@code Double}s or {@code Long}s, booleans, null. */
	static Object read(String text) {
		Reader reader = new Reader(text);
		reader.space();
		Object value = reader.value();
		reader.space();
		if (reader.at < text.length()) {
			throw new IllegalArgumentException("unexpected text after the JSON value at " + reader.at);
		}
		return value;
	}

	private static final class Reader {

		private final String text;

		private int at;

		Reader(String text) {
			this.text = text;
		}

		void space() {
			while (this.at < this.text.length() && Character.isWhitespace(this.text.charAt(this.at))) {
				this.at++;
			}
		}

		char peek() {
			if (this.at >= this.text.length()) {
				throw new IllegalArgumentException("unexpected end of JSON");
			}
			return this.text.charAt(this.at);
		}

		void expect(char c) {
			if (peek() != c) {
				throw new IllegalArgumentException("expected '" + c + "' at " + this.at);
			}
			this.at++;
		}

		Object value() {
			char c = peek();
			return switch (c) {
				case '{' -> object();
				case '[' -> array();
				case '"' -> string();
				case 't' -> literal("true", Boolean.TRUE);
				case 'f' -> literal("false", Boolean.FALSE);
				case 'n' -> literal("null", null);
				default -> number();
			};
		}

		Object literal(String word, Object value) {
			if (!this.text.startsWith(word, this.at)) {
				throw new IllegalArgumentException("unexpected text at " + this.at);
			}
			this.at += word.length();
			return value;
		}

		Map<String, Object> object() {
			Map<String, Object> map = new LinkedHashMap<>();
			expect('{');
			space();
			if (peek() == '}') {
				this.at++;
				return map;
			}
			while (true) {
				space();
				String key = string();
				space();
				expect(':');
				space();
				map.put(key, value());
				space();
				if (peek() == ',') {
					this.at++;
					continue;
				}
				expect('}');
				return map;
			}
		}

		List<Object> array() {
			List<Object> list = new ArrayList<>();
			expect('[');
			space();
			if (peek() == ']') {
				this.at++;
				return list;
			}
			while (true) {
				space();
				list.add(value());
				space();
				if (peek() == ',') {
					this.at++;
					continue;
				}
				expect(']');
				return list;
			}
		}

		String string() {
			expect('"');
			StringBuilder out = new StringBuilder();
			while (true) {
				char c = peek();
				this.at++;
				if (c == '"') {
					return out.toString();
				}
				if (c != '\\') {
					out.append(c);
					continue;
				}
				char e = peek();
				this.at++;
				switch (e) {
					case 'n' -> out.append('\n');
					case 'r' -> out.append('\r');
					case 't' -> out.append('\t');
					case 'b' -> out.append('\b');
					case 'f' -> out.append('\f');
					case 'u' -> {
						out.append((char) Integer.parseInt(this.text.substring(this.at, this.at + 4), 16));
						this.at += 4;
					}
					default -> out.append(e);
				}
			}
		}

		Object number() {
			int start = this.at;
			while (this.at < this.text.length() && "+-0123456789.eE".indexOf(this.text.charAt(this.at)) >= 0) {
				this.at++;
			}
			String number = this.text.substring(start, this.at);
			if (number.isEmpty()) {
				throw new IllegalArgumentException("unexpected text at " + start);
			}
			if (number.contains(".") || number.contains("e") || number.contains("E")) {
				return Double.parseDouble(number);
			}
			return Long.parseLong(number);
		}

	}

}
