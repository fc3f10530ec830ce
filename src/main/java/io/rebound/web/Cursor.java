package io.rebound.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The one cursor of every listing: an opaque token (URL-safe Base64) that names its
 * listing and holds the position of the last row a page returned — its sort keys, in
 * order. A token from another listing, another version or nowhere is a 400
 * {@code invalid-cursor} problem, never a 500.
 */
public final class Cursor {

	private static final String VERSION = "c1";

	private static final String SEPARATOR = "\u001f";

	private final String listing;

	private final List<String> parts;

	private Cursor(String listing, List<String> parts) {
		this.listing = listing;
		this.parts = parts;
	}

	/**
	 * The cursor after a row of a listing.
	 * @param listing which listing, e.g. {@code incidents}
	 * @param position the row's sort keys, in order (numbers, ids, instants, text)
	 * @return the token
	 */
	public static String encode(String listing, Object... position) {
		String plain = VERSION + SEPARATOR + listing + SEPARATOR
				+ Arrays.stream(position).map(String::valueOf).collect(Collectors.joining(SEPARATOR));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A token this listing gave out, with as many sort keys as it wrote.
	 * @param listing which listing
	 * @param token the token
	 * @param keys how many sort keys its position has
	 * @return the cursor
	 * @throws ProblemException {@code invalid-cursor} otherwise
	 */
	public static Cursor decode(String listing, String token, int keys) {
		try {
			String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
			List<String> all = List.of(plain.split(SEPARATOR, -1));
			if (all.size() == 2 + keys && all.get(0).equals(VERSION) && all.get(1).equals(listing)) {
				return new Cursor(listing, all.subList(2, all.size()));
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw invalid();
	}

	/** The position's sort key {@code i} as text. */
	public String text(int i) {
		return this.parts.get(i);
	}

	/** The position's sort key {@code i} as a number. */
	public long number(int i) {
		try {
			return Long.parseLong(this.parts.get(i));
		}
		catch (NumberFormatException ex) {
			throw invalid();
		}
	}

	/** The position's sort key {@code i} as an id. */
	public UUID uuid(int i) {
		try {
			return UUID.fromString(this.parts.get(i));
		}
		catch (IllegalArgumentException ex) {
			throw invalid();
		}
	}

	/** The position's sort key {@code i} as an instant. */
	public Instant instant(int i) {
		try {
			return Instant.parse(this.parts.get(i));
		}
		catch (java.time.DateTimeException ex) {
			throw invalid();
		}
	}

	@Override
	public String toString() {
		return this.listing + this.parts;
	}

	private static ProblemException invalid() {
		return ProblemException.badRequest("invalid-cursor", "Invalid cursor",
				"The cursor is not one this listing gave out; start again without a cursor.");
	}

}
