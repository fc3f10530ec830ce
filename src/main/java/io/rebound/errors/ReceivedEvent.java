package io.rebound.errors;

import java.time.Instant;

/**
 * An event as read from the bus: where it was read and when it reached the bus.
 *
 * @param event the event
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset
 * @param receivedAt when the agent reported it, on the broker's or Rebound's clock —
 * never the agent's: when it reached the bus, less the {@code age_ms} it was sent with
 * (how long the agent held it); the time every decision uses (windows, regressions,
 * verification, limits)
 * @param suppressed why the event is only counted, not stored on its own
 * ({@code source_rate} or {@code error_spike}); {@code null} to store it
 * @param ageMs how much earlier than its arrival {@code receivedAt} lies
 */
public record ReceivedEvent(ErrorEvent event, String topic, int partition, long offset, Instant receivedAt,
		String suppressed, long ageMs) {

	public ReceivedEvent(ErrorEvent event, String topic, int partition, long offset, Instant receivedAt) {
		this(event, topic, partition, offset, receivedAt, null, 0);
	}

	/** When it reached the bus. */
	public Instant arrivedAt() {
		return this.receivedAt.plusMillis(this.ageMs);
	}

}
