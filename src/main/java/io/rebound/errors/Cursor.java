package io.rebound.errors;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.rebound.web.ProblemException;

/**
 * An opaque position in a listing: the snapshot (highest event sequence when the first
 * page was read) and the position of the last row returned. Pages after the first place
 * every error where it stood at the snapshot, so activity while a client pages neither
 * repeats nor skips a row.
 *
 * @param snapshot the highest event sequence visible when paging began
 * @param after rows strictly before this position come next
 */
record Cursor(long snapshot, long after) {

	private static final String PREFIX = "v1:";

	static Cursor first(long snapshot) {
		return new Cursor(snapshot, Long.MAX_VALUE);
	}

	String encode() {
		String plain = PREFIX + this.snapshot + ":" + this.after;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
	}

	static Cursor decode(String cursor) {
		try {
			String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
			if (plain.startsWith(PREFIX)) {
				String[] parts = plain.substring(PREFIX.length()).split(":");
				if (parts.length == 2) {
					return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
				}
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw ProblemException.badRequest("invalid-cursor", "Invalid cursor",
				"The cursor '" + cursor + "' is not one this server gave out; start again without a cursor.");
	}

}
