package io.rebound.errors;

import java.time.Instant;

/**
 * An event as read from the bus: where it was read and when it reached the bus.
 *
 * @param event the event
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset
 * @param receivedAt when it reached the bus, on the broker's or Rebound's clock — never
 * the agent's: the time every decision uses (windows, regressions, verification, limits)
 * @param suppressed why the event is only counted, not stored on its own
 * ({@code source_rate} or {@code error_spike}); {@code null} to store it
 */
public record ReceivedEvent(ErrorEvent event, String topic, int partition, long offset, Instant receivedAt,
		String suppressed) {

	public ReceivedEvent(ErrorEvent event, String topic, int partition, long offset, Instant receivedAt) {
		this(event, topic, partition, offset, receivedAt, null);
	}

}
