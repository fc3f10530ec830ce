package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.rebound.TestDatabaseInitializer;
import io.rebound.correlation.IncidentOpened;
import io.rebound.correlation.RecoveryDirective;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correlation hands recovery an incident; recovery, bootstrapped with only the modules it
 * depends on, on the real PostgreSQL, opens the run the incident's directive asks for.
 * What the ladder then does is proven end to end in {@link LadderIntegrationTests}.
 */
@ApplicationModuleTest(mode = ApplicationModuleTest.BootstrapMode.DIRECT_DEPENDENCIES, extraIncludes = "ingest")
@TestPropertySource(
		properties = { "spring.kafka.bootstrap-servers=127.0.0.1:9", "spring.kafka.listener.auto-startup=false",
				"spring.kafka.admin.auto-create=false", "spring.kafka.admin.properties.reconnect.backoff.ms=30000",
				"spring.kafka.admin.properties.reconnect.backoff.max.ms=30000" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@DirtiesContext
class RecoveryModuleTests {

	@Test
	void anIncidentWithoutADirectiveStartsAtLevelOne(Scenario scenario) {
		IncidentOpened opened = incident("timeout", null);

		scenario.publish(opened)
			.andWaitAtMost(Duration.ofSeconds(10))
			.andWaitForEventOfType(RecoveryEvent.RecoveryStarted.class)
			.matching((event) -> event.incidentId().equals(opened.incidentId()))
			.toArriveAndVerify((started) -> {
				assertThat(started.level()).isEqualTo(1);
				assertThat(started.agent()).isEqualTo(opened.rootAgent());
			});
	}

	@Test
	void aRulesLevelIsWhereTheRunStarts(Scenario scenario) {
		IncidentOpened opened = incident("stall", new RecoveryDirective.Level(3));

		scenario.publish(opened)
			.andWaitAtMost(Duration.ofSeconds(10))
			.andWaitForEventOfType(RecoveryEvent.RecoveryStarted.class)
			.matching((event) -> event.incidentId().equals(opened.incidentId()))
			.toArriveAndVerify((event) -> assertThat(event.level()).isEqualTo(3));
	}

	@Test
	void aRecommendedStrategyStartsAtItsLevelAndSaysSo(Scenario scenario) {
		IncidentOpened opened = incident("config_invalid", new RecoveryDirective.UseStrategy("reload"));

		scenario.publish(opened)
			.andWaitAtMost(Duration.ofSeconds(10))
			.andWaitForEventOfType(RecoveryEvent.RecoveryStarted.class)
			.matching((event) -> event.incidentId().equals(opened.incidentId()))
			.toArriveAndVerify((event) -> {
				assertThat(event.level()).isEqualTo(2);
				assertThat(event.reason()).contains("reload");
			});
	}

	@Test
	void anIncidentForAPersonIsHandedToOneFromTheStart(Scenario scenario) {
		IncidentOpened opened = incident("auth_failure", new RecoveryDirective.Person());

		scenario.publish(opened)
			.andWaitAtMost(Duration.ofSeconds(10))
			.andWaitForEventOfType(RecoveryEvent.RecoveryHandedToPerson.class)
			.matching((event) -> event.incidentId().equals(opened.incidentId()))
			.toArriveAndVerify((event) -> assertThat(event.reason()).contains("a person must act"));
	}

	private static IncidentOpened incident(String cause, RecoveryDirective directive) {
		String agent = "module-" + UUID.randomUUID().toString().substring(0, 8);
		return new IncidentOpened(UUID.randomUUID(), "single", "high", "transient", cause, "recoverable", directive,
				agent, null, List.of(UUID.randomUUID()), Instant.now());
	}

}
