package io.rebound.errors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EscalationTests {

	@Test
	void theMultiplierIsBoundedAndShrinksAsTheVolumeGrows() {
		assertThat(Escalation.multiplier(0)).isEqualTo(5);
		assertThat(Escalation.multiplier(10)).isEqualTo(5);
		assertThat(Escalation.multiplier(100)).isCloseTo(3.5, within(1e-9));
		assertThat(Escalation.multiplier(1000)).isEqualTo(2);
		assertThat(Escalation.multiplier(1_000_000)).isEqualTo(2);
	}

	@Test
	void aQuietErrorEscalatesAtTheFloorAndABusyOneOnlyWhenItDoublesItsWorstHour() {
		// quiet all week: ten events in an hour are a spike
		assertThat(Escalation.forecast(0, 10)).isEqualTo(10);
		assertThat(Escalation.escalates(9, 0, 10)).isFalse();
		assertThat(Escalation.escalates(10, 0, 10)).isTrue();
		// two an hour at worst: 5 × 2 = 10
		assertThat(Escalation.forecast(2, 10)).isEqualTo(10);
		// a hundred at worst: 350
		assertThat(Escalation.forecast(100, 10)).isEqualTo(350);
		assertThat(Escalation.escalates(349, 100, 10)).isFalse();
		// five thousand at worst: twice that
		assertThat(Escalation.forecast(5000, 10)).isEqualTo(10_000);
	}

}
