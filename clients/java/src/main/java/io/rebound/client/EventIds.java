package io.rebound.client;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Event ids as version-7 UUIDs (RFC 9562): the millisecond of the report, then 74 random
 * bits. Ids in time order land at the right edge of Rebound's id index instead of on a
 * random page of it, which costs PostgreSQL less per event; the time in them is only
 * for that order, never read as when anything happened. The random bits come from
 * {@link SecureRandom}, as {@link UUID#randomUUID()}'s do: two events with one id would
 * be stored once.
 */
final class EventIds {

	private static final SecureRandom RANDOM = new SecureRandom();

	private EventIds() {
	}

	static UUID next(long epochMillis) {
		byte[] random = new byte[10];
		RANDOM.nextBytes(random);
		long randA = ((random[0] & 0xFFL) << 8 | (random[1] & 0xFFL)) & 0xFFF;
		long randB = 0;
		for (int i = 2; i < 10; i++) {
			randB = (randB << 8) | (random[i] & 0xFFL);
		}
		long high = ((epochMillis & 0xFFFF_FFFF_FFFFL) << 16) | 0x7000L | randA;
		long low = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
		return new UUID(high, low);
	}

}
