package io.rebound.errors;

import java.time.Instant;

/**
 * An event as read from the bus: where it was read and when it was published.
 *
 * @param event the event
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset
 * @param publishedAt the record's timestamp, for publish-to-commit lag
 * @param suppressed why the event is only counted, not stored on its own
 * ({@code source_rate} or {@code error_spike}); {@code null} to store it
 */
public record ReceivedEvent(ErrorEvent event, String topic, int partition, long offset, Instant publishedAt,
		String suppressed) {

	public ReceivedEvent(ErrorEvent event, String topic, int partition, long offset, Instant publishedAt) {
		this(event, topic, partition, offset, publishedAt, null);
	}

}
