package io.rebound.ingest;

import java.security.SecureRandom;
import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;

/**
 * The ids Rebound gives events that came without one (REST, its own synthesized events,
 * log files): version-7 UUIDs, time-ordered on Rebound's clock, with 74 random bits from
 * {@link SecureRandom}. Ids in time order land at the right edge of the id index
 * ({@code error_event_ids}) rather than on a random page of it, which costs PostgreSQL
 * less per event; the clients make their ids so too.
 */
final class EventIds {

	private static final TimeBasedEpochRandomGenerator V7 = Generators
		.timeBasedEpochRandomGenerator(new SecureRandom());

	private EventIds() {
	}

	static UUID next() {
		return V7.generate();
	}

}
