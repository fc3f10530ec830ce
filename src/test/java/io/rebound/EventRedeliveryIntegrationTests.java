package io.rebound;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.rebound.correlation.IncidentOpened;
import io.rebound.correlation.RecoveryDirective;
import io.rebound.recovery.RecoveryEvent;
import io.rebound.recovery.RecoveryLeadership;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cross-feature events go through Spring Modulith's event publication registry: what
 * a listener did not complete — its instance died after the commit — is delivered again,
 * and nothing completed stays behind.
 */
@IntegrationTest
class EventRedeliveryIntegrationTests {

	static final String RUN_STARTER = "io.rebound.recovery.RecoveryRuns.on(io.rebound.correlation.IncidentOpened)";

	@LocalServerPort
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	EventPublicationRepository publications;

	@Autowired
	EventSerializer serializer;

	@Autowired
	EventRedelivery redelivery;

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	RecoveryLeadership leadership;

	@Test
	void theEventsRoundTripThroughTheRegistrysSerialization() {
		for (RecoveryDirective directive : new RecoveryDirective[] { new RecoveryDirective.Level(3),
				new RecoveryDirective.UseStrategy("restart"), new RecoveryDirective.Person(), null }) {
			IncidentOpened opened = new IncidentOpened(UUID.randomUUID(), "rule", "high", "database", "db.down",
					"transient", directive, "db-1", null, List.of(UUID.randomUUID()), Instant.now());
			assertThat(this.serializer.deserialize(this.serializer.serialize(opened), IncidentOpened.class))
				.isEqualTo(opened);
		}
		RecoveryEvent.RecoveryHandedToPerson handed = new RecoveryEvent.RecoveryHandedToPerson(UUID.randomUUID(),
				UUID.randomUUID(), "db-1", 5, "default", "levels 1 to 4 did not recover db-1", Instant.now());
		assertThat(this.serializer.deserialize(this.serializer.serialize(handed),
				RecoveryEvent.RecoveryHandedToPerson.class))
			.isEqualTo(handed);
	}

	@Test
	void anIncidentWhoseRunWasLostWithItsInstanceGetsItWhenItsEventIsDeliveredAgain() {
		Http http = new Http(this.port);
		String agent = "redeliver-" + UUID.randomUUID().toString().substring(0, 8);
		List<IncidentOpened> opened = new CopyOnWriteArrayList<>();
		this.context.addApplicationListener((ApplicationListener<PayloadApplicationEvent<?>>) (event) -> {
			if (event.getPayload() instanceof IncidentOpened o && agent.equals(o.rootAgent())) {
				opened.add(o);
			}
		});
		assertThat(http.post("/api/recovery/pause", "{}").status()).isEqualTo(200);
		try {
			http.post("/api/errors", Http.json(Map.of("source", agent, "type", "crash", "severity", "critical",
					"message", "worker exited with code 137")));
			IncidentOpened event = await().atMost(Duration.ofSeconds(15))
				.until(() -> opened.isEmpty() ? null : opened.get(0), (e) -> e != null);
			await().atMost(Duration.ofSeconds(10)).until(() -> runs(event.incidentId()) == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> incomplete(event) == 0);

			// as if the instance had died between the incident's commit and the run's
			this.jdbc.update("DELETE FROM recovery_runs WHERE incident_id = ?", event.incidentId());
			this.publications.create(TargetEventPublication.of(event, PublicationTargetIdentifier.of(RUN_STARTER),
					Instant.now().minus(Duration.ofMinutes(2))));
			assertThat(incomplete(event)).isEqualTo(1);
			// (the scheduled redelivery, every redeliver-after / 2, could take it up at
			// any
			// moment too: so the test calls it itself rather than wait for it)
			assertThat(runs(event.incidentId())).isZero();
			await().atMost(Duration.ofSeconds(10)).until(this.leadership::leading);
			this.redelivery.redeliver();

			await().atMost(Duration.ofSeconds(10)).until(() -> runs(event.incidentId()) == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> incomplete(event) == 0);
			assertThat(this.publications.findCompletedPublications()).as("completed publications are deleted")
				.noneMatch((p) -> p.getEvent().equals(event));
		}
		finally {
			http.post("/api/recovery/resume", "{}");
		}
	}

	private int runs(UUID incident) {
		return this.jdbc.queryForObject("SELECT count(*) FROM recovery_runs WHERE incident_id = ?", Integer.class,
				incident);
	}

	private long incomplete(IncidentOpened event) {
		return this.publications.findIncompletePublications()
			.stream()
			.filter((p) -> p.getEvent().equals(event))
			.count();
	}

}
