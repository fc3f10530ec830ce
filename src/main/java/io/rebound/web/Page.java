package io.rebound.web;

import java.util.List;

/**
 * One page of a listing: its items and the cursor of the next page, {@code null} on the
 * last one.
 *
 * @param <T> what is listed
 * @param items the items
 * @param nextCursor where the next page starts, or {@code null}
 */
public record Page<T>(List<T> items, String nextCursor) {

}
