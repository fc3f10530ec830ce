package io.rebound.correlation;

import java.time.Instant;
import java.util.List;

import io.rebound.correlation.ExplainController.ErrorRef;
import io.rebound.correlation.ExplainController.Explanation;
import io.rebound.correlation.ExplainController.IncidentRef;
import io.rebound.errors.Classification;
import io.rebound.errors.ErrorEvent;
import io.rebound.errors.ErrorFacts;
import io.rebound.errors.ErrorFacts.Fact;
import io.rebound.errors.ErrorStatus;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where an event would go, in one read-only transaction over the current state: the same
 * placement rules the correlator runs, with nothing stored.
 */
@Component
class Explainer {

	private final ErrorFacts facts;

	private final Correlator correlator;

	Explainer(ErrorFacts facts, Correlator correlator) {
		this.facts = facts;
		this.correlator = correlator;
	}

	@Transactional(readOnly = true)
	Explanation explain(ErrorEvent event) {
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
		return new Explanation(event.classification().matched() ? event.classification() : null, event.fingerprint(),
				new ErrorRef(error.id(), exists, error.status().wire()), incident);
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
