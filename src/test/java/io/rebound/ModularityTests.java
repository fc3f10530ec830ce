package io.rebound;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * Keeps the layout honest: each feature package is a module, reaching others only through
 * their public types, never in cycles.
 */
class ModularityTests {

	@Test
	void featuresDependOnEachOtherOnlyThroughTheirPublicFaces() {
		ApplicationModules.of(Rebound.class).verify();
	}

}
