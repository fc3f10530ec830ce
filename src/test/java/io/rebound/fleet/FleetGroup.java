package io.rebound.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Agents that share state (the label {@code group}): a poisoned group is cured only when
 * every member is restarted within {@link #TOGETHER} of the others — one member restarted
 * alone is poisoned again by its peers.
 */
final class FleetGroup {

	static final Duration TOGETHER = Duration.ofSeconds(10);

	final String name;

	final List<FleetAgent> members = new CopyOnWriteArrayList<>();

	private final Map<String, Instant> restartedAt = new ConcurrentHashMap<>();

	FleetGroup(String name) {
		this.name = name;
	}

	/** Notes a member's restart; whether with it every member was restarted together. */
	synchronized boolean restarted(FleetAgent member) {
		Instant now = Instant.now();
		this.restartedAt.put(member.id, now);
		return this.members.stream().allMatch((m) -> {
			Instant at = this.restartedAt.get(m.id);
			return at != null && Duration.between(at, now).compareTo(TOGETHER) <= 0;
		});
	}

	void inject() {
		this.restartedAt.clear();
		this.members.forEach((m) -> m.inject(Fault.POISONED_GROUP));
	}

	void cure() {
		this.members.forEach(FleetAgent::cure);
	}

}
