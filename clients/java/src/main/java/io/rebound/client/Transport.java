package io.rebound.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** How events and heartbeats reach Rebound: its REST API, or Kafka directly. */
interface Transport extends AutoCloseable {

	/** Delivers these events (their JSON), all of them or none. */
	void sendEvents(List<String> events) throws RetryLater, Rejected;

	void sendHeartbeat(String agentId, Map<String, Object> body) throws RetryLater;

	/** Registers the agent (always over REST). */
	void register(Map<String, Object> registration) throws RetryLater;

	@Override
	void close();

	/** Delivery failed for now; try again after {@code after}, or after the back-off. */
	final class RetryLater extends Exception {

		private final Duration after;

		RetryLater(String reason, Duration after) {
			super(reason, null, false, false);
			this.after = after;
		}

		Duration after() {
			return this.after;
		}

	}

	/** Rebound refused some events for good (a {@code 400}): their indexes. */
	final class Rejected extends Exception {

		private final List<Integer> bad;

		Rejected(String reason, List<Integer> bad) {
			super(reason, null, false, false);
			this.bad = bad;
		}

		List<Integer> bad() {
			return this.bad;
		}

	}

}
