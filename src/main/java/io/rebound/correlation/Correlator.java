package io.rebound.correlation;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rebound.agents.AgentHealthChanged;
import io.rebound.agents.AgentGraph;
import io.rebound.errors.ErrorFacts;
import io.rebound.errors.ErrorFacts.Fact;
import io.rebound.errors.Severity;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs correlation rounds: every {@code rebound.correlation.interval} it takes the errors
 * with news (by their {@code activity_seq}, so nothing the ingest path stored is missed,
 * whichever instance stored it), places them, and marks them looked at, all in one
 * transaction under a PostgreSQL advisory lock, so one instance correlates at a time and
 * a crash mid-round simply repeats the round. Its events are published in that
 * transaction: other features hear of them after the commit, through the event
 * publication registry.
 */
@Component
class Correlator {

	private static final int MAX_ROUNDS_PER_RUN = 50;

	private final IncidentStore store;

	private final IncidentMembers members;

	private final ErrorFacts facts;

	private final RuleClassifier classifier;

	private final CorrelationProperties properties;

	private final AgentGraph agents;

	private final TransactionTemplate transaction;

	private final ApplicationEventPublisher publisher;

	private final Clock clock;

	private final Timer rounds;

	private final Counter placed;

	Correlator(IncidentStore store, IncidentMembers members, ErrorFacts facts, RuleClassifier classifier,
			CorrelationProperties properties, AgentGraph agents, PlatformTransactionManager transactions,
			ApplicationEventPublisher publisher, Clock clock, MeterRegistry meters) {
		this.store = store;
		this.members = members;
		this.facts = facts;
		this.classifier = classifier;
		this.properties = properties;
		this.agents = agents;
		this.transaction = new TransactionTemplate(transactions);
		this.publisher = publisher;
		this.clock = clock;
		this.rounds = Timer.builder("rebound.correlation.rounds")
			.description("Correlation rounds that found errors with news")
			.register(meters);
		this.placed = Counter.builder("rebound.correlation.errors")
			.description("Errors with news looked at by the correlator")
			.register(meters);
	}

	/**
	 * Set when an agent's health changed: the active incidents' roots need a new look.
	 */
	private final java.util.concurrent.atomic.AtomicBoolean healthChanged = new java.util.concurrent.atomic.AtomicBoolean();

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void on(AgentHealthChanged change) {
		this.healthChanged.set(true);
	}

	@Scheduled(fixedDelayString = CorrelationProperties.BEAN + ".interval().toMillis()}")
	void run() {
		if (!this.properties.enabled()) {
			return;
		}
		for (int i = 0; i < MAX_ROUNDS_PER_RUN; i++) {
			if (round() < this.properties.batchSize()) {
				return;
			}
		}
	}

	/**
	 * @return how many errors with news it looked at
	 */
	int round() {
		// incidents gone quiet end in a short transaction of their own: resolving their
		// errors locks error rows, which ingest must not wait behind a whole round for
		this.transaction.executeWithoutResult((status) -> {
			if (this.store.tryLock()) {
				resolveQuiet(this.clock.instant());
			}
		});
		long started = System.nanoTime();
		boolean reroot = this.healthChanged.getAndSet(false);
		Looked looked = null;
		try {
			looked = this.transaction.execute((status) -> round(reroot));
		}
		finally {
			if (reroot && (looked == null || !looked.locked())) {
				// another instance held the lock, or the round failed: look again next
				// time
				this.healthChanged.set(true);
			}
		}
		int count = (looked != null) ? looked.errors() : 0;
		if (count > 0) {
			this.rounds.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
			this.placed.increment(count);
		}
		return count;
	}

	/**
	 * What a round did.
	 *
	 * @param locked whether it held correlation's lock
	 * @param errors how many errors with news it looked at
	 */
	private record Looked(boolean locked, int errors) {
	}

	private Looked round(boolean reroot) {
		if (!this.store.tryLock()) {
			return new Looked(false, 0);
		}
		Instant now = this.clock.instant();
		List<Fact> news = this.facts.unobserved(this.properties.batchSize());
		if (news.isEmpty() && !reroot) {
			return new Looked(true, 0);
		}
		List<IncidentRow> active = this.store.active();
		RoundState state = new RoundState(this.store, this.members, this.facts, this.classifier.rules(),
				this.properties, now, roots(now, active), active);
		state.prepare(news.stream().map(Fact::id).toList());
		Round round = new Round(this.store, this.members, this.facts, this.properties, state, this.publisher);
		news.forEach(round::place);
		if (reroot || round.mayChangeRoots()) {
			round.reroot();
		}
		round.finish();
		this.facts.observed(news);
		return new Looked(true, news.size());
	}

	/**
	 * What a round would decide now, for explaining; the caller brings a read-only
	 * transaction.
	 */
	RoundState preview() {
		Instant now = this.clock.instant();
		List<IncidentRow> active = this.store.active();
		return new RoundState(this.store, this.members, this.facts, this.classifier.rules(), this.properties, now,
				roots(now, active), active);
	}

	private DependencyRoots roots(Instant now, List<IncidentRow> active) {
		Set<String> incidentRoots = new HashSet<>();
		for (IncidentRow incident : active) {
			if (incident.rootAgent() != null && (incident.kind().equals("dependency") || incident.sourceCount() <= 1)) {
				incidentRoots.add(incident.rootAgent());
			}
		}
		return new DependencyRoots(this.agents.graph(),
				this.facts.sourcesFailing(Severity.HIGH, now.minus(this.properties.dependencyWindow())), incidentRoots);
	}

	private void resolveQuiet(Instant now) {
		for (IncidentRow incident : this.store.quietSince(now.minus(this.properties.resolveAfter()))) {
			this.publisher.publishEvent(IncidentEndings.end(this.store, this.members, this.facts, incident,
					IncidentStatus.RESOLVED, "rebound", "no new errors for " + this.properties.resolveAfter(), now));
		}
	}

}
