package io.rebound.correlation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.rebound.errors.Classification;
import io.rebound.errors.ErrorEvent;
import io.rebound.errors.ErrorFacts;
import io.rebound.errors.ErrorFacts.Fact;
import io.rebound.errors.ErrorStatus;
import io.rebound.errors.Fingerprint;
import io.rebound.ingest.EventReader;
import tools.jackson.databind.JsonNode;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/correlation/explain}: which rule, fingerprint, error and incident an
 * event would join, and why, without storing anything. The answer comes from the same
 * code that ingest and the correlator run, over the current state.
 */
@RestController
class ExplainController {

	private final EventReader reader;

	private final ErrorFacts facts;

	private final Correlator correlator;

	private final TransactionTemplate readOnly;

	ExplainController(EventReader reader, ErrorFacts facts, Correlator correlator,
			PlatformTransactionManager transactions) {
		this.reader = reader;
		this.facts = facts;
		this.correlator = correlator;
		this.readOnly = new TransactionTemplate(transactions);
		this.readOnly.setReadOnly(true);
	}

	/**
	 * The explanation.
	 *
	 * @param rule the rule's verdict, or {@code null} when no rule matched
	 * @param fingerprint how the event groups
	 * @param error the error it would count toward
	 * @param incident where that error would go
	 */
	record Explanation(Classification rule, Fingerprint fingerprint, ErrorRef error, IncidentRef incident) {
	}

	/**
	 * @param id the error's id
	 * @param exists whether it exists already
	 * @param status its status after this event
	 */
	record ErrorRef(UUID id, boolean exists, String status) {
	}

	/**
	 * @param decision {@code join}, {@code open} or {@code none}
	 * @param incidentId the incident joined, or {@code null}
	 * @param kind the incident's kind (joined or to open), or {@code null}
	 * @param key what it correlates on, or {@code null}
	 * @param role the error's role in it, or {@code null}
	 * @param rootAgent the root agent, or {@code null}
	 * @param path for a symptom, from its agent to the root
	 * @param why the reason, with the window figures
	 */
	record IncidentRef(String decision, UUID incidentId, String kind, String key, String role, String rootAgent,
			List<String> path, String why) {
	}

	@PostMapping("/api/correlation/explain")
	Explanation explain(@RequestBody JsonNode body) {
		ErrorEvent event = this.reader.read(body);
		return this.readOnly.execute((status) -> {
			Fact error = hypothetical(event);
			RoundState round = this.correlator.preview();
			round.prepare(List.of(error.id()));
			IncidentRef incident = switch (PlacementRules.decide(error, round)) {
				case Decision.Join join -> new IncidentRef("join", join.incident().id(), join.incident().kind(),
						join.incident().key(), join.role(), join.incident().rootAgent(), join.path(), join.why());
				case Decision.Open open -> new IncidentRef("open", null, open.kind(), open.key(),
						open.lead().source().equals(open.rootAgent()) ? "root"
								: open.kind().equals("dependency") ? "symptom" : "member",
						open.rootAgent(), open.path(), open.why());
				case Decision.Stay stay -> new IncidentRef("none", null, null, null, null, null, List.of(), stay.why());
			};
			boolean exists = this.facts.find(error.id()).isPresent();
			return new Explanation(event.classification().matched() ? event.classification() : null,
					event.fingerprint(), new ErrorRef(error.id(), exists, error.status().wire()), incident);
		});
	}

	/** The event's error as it would be with this event folded in. */
	private Fact hypothetical(ErrorEvent event) {
		Classification c = event.classification();
		Instant at = event.occurredAt();
		Instant now = Instant.now(); // an explained event is taken as arriving now
		return this.facts.find(event.errorId())
			.map((f) -> new Fact(f.id(), f.source(), f.type(), f.severity().max(event.severity()),
					f.open() ? f.status() : (f.status() == ErrorStatus.RESOLVED ? ErrorStatus.REGRESSED : f.status()),
					f.category(), c.cause(), c.ruleId(), c.errorClass(), c.recovery(), c.groupKey(), f.count() + 1,
					f.firstSeen(), at.isAfter(f.lastSeen()) ? at : f.lastSeen(), now, event.message(),
					f.activitySeq() + 1, f.resolvedAt()))
			.orElseGet(() -> new Fact(event.errorId(), event.source(), event.type(), event.severity(), ErrorStatus.OPEN,
					event.category(), c.cause(), c.ruleId(), c.errorClass(), c.recovery(), c.groupKey(), 1, at, at, now,
					event.message(), Long.MAX_VALUE, null));
	}

}
