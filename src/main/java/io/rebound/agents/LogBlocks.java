package io.rebound.agents;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the complete lines of a log into events: a line with one of the patterns starts a
 * block; indented lines, a Python {@code Traceback} header and the exception line that
 * closes a traceback continue it. A block still open at the end of what was read is kept
 * open (more of it may come) until the next read or until the file goes quiet.
 */
final class LogBlocks {

	/**
	 * A block of lines that makes one event.
	 *
	 * @param offset the byte offset of its first line in the file
	 * @param lines its lines, without line ends
	 * @param pattern the pattern its first line matched
	 */
	record Block(long offset, List<String> lines, String pattern) {
	}

	private final List<String> patterns;

	private final List<Block> complete = new ArrayList<>();

	private Block open;

	private boolean inTraceback;

	private boolean indentedSeen;

	LogBlocks(List<String> patterns) {
		this.patterns = patterns;
	}

	/** One complete line that starts at {@code offset}. */
	void line(String line, long offset) {
		if (this.open != null && continues(line)) {
			this.open.lines().add(line);
			return;
		}
		closeOpen();
		String pattern = match(line);
		if (pattern != null) {
			this.open = new Block(offset, new ArrayList<>(List.of(line)), pattern);
			this.inTraceback = line.startsWith("Traceback");
			this.indentedSeen = false;
		}
	}

	private boolean continues(String line) {
		if (line.isEmpty()) {
			return false;
		}
		if (Character.isWhitespace(line.charAt(0))) {
			this.indentedSeen = true;
			return true;
		}
		if (line.startsWith("Traceback (most recent call last)")) {
			this.inTraceback = true;
			this.indentedSeen = false;
			return true;
		}
		if (this.inTraceback && this.indentedSeen) {
			// the exception line ends the traceback
			this.inTraceback = false;
			this.indentedSeen = false;
			return true;
		}
		return false;
	}

	private String match(String line) {
		for (String pattern : this.patterns) {
			if (line.contains(pattern)) {
				return pattern;
			}
		}
		return null;
	}

	/** Ends the open block, if any: the file went quiet. */
	void closeOpen() {
		if (this.open != null) {
			this.complete.add(this.open);
			this.open = null;
		}
	}

	/** The blocks completed so far, handed over once. */
	List<Block> drain() {
		List<Block> blocks = List.copyOf(this.complete);
		this.complete.clear();
		return blocks;
	}

	/** The offset of the open block's first line, or {@code -1}. */
	long openOffset() {
		return (this.open != null) ? this.open.offset() : -1;
	}

}
