package io.rebound.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.rebound.agents.AgentGraph;
import io.rebound.agents.HealthState;
import io.rebound.correlation.Incidents;
import io.rebound.errors.ErrorFacts;
import io.rebound.ingest.BusWatch;

import tools.jackson.databind.JsonNode;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The ladder's judgements, inside the step's transaction: whether an attempt (or, for a
 * run held back by a dependency's recovery, no action at all) recovered the target —
 * {@code healthy}, heard from since, and none of the incident's errors had an event since
 * — waiting first for an agent that is restarting or whose breakers are still open; where
 * the run goes then is {@link RunOutcomes}'.
 */
@Component
class Verification {

	private final RecoveryStore store;

	private final Attempts attempts;

	private final RecoveryRecords records;

	private final AgentGraph agents;

	private final RunOutcomes outcomes;

	private final ErrorFacts facts;

	private final RecoveryProperties properties;

	private final ApplicationEventPublisher events;

	private final Stabilization stabilization;

	private final BusWatch bus;

	Verification(RecoveryStore store, Attempts attempts, RecoveryRecords records, AgentGraph agents,
			RunOutcomes outcomes, ErrorFacts facts, RecoveryProperties properties, ApplicationEventPublisher events,
			Stabilization stabilization, BusWatch bus) {
		this.stabilization = stabilization;
		this.bus = bus;
		this.store = store;
		this.attempts = attempts;
		this.records = records;
		this.agents = agents;
		this.outcomes = outcomes;
		this.facts = facts;
		this.properties = properties;
		this.events = events;
	}

	/**
	 * How long after the bus last did not answer an attempt made meanwhile is not judged
	 * quiet: the clients' longest back-off (30 s) and the in-flight margin, so the
	 * reports they kept while Rebound could not publish them are in.
	 */
	static final Duration HELD_REPORTS = BusWatch.AFTER_UNREACHABLE;

	/** The strategies that restart the target itself. */
	private static final java.util.Set<String> RESTARTS = java.util.Set.of("restart", "restart-more-resources",
			"restart-group");

	/** A verify step. */
	void verify(RecoveryStore.Run run, Incidents.Incident incident) {
		Optional<String> behind = this.bus.stalled();
		if (behind.isPresent()) {
			// what would fail the attempt, or show the target back, may not have arrived
			again(run, this.properties.interval(), "level " + run.level() + ": verification waits until Rebound's "
					+ "view of the bus is current (" + behind.get() + ")");
			return;
		}
		Optional<Attempts.Attempt> attempt = Optional.ofNullable(run.attemptId()).flatMap(this.attempts::byId);
		// quiet since the agent answered: what reached the bus while it was still
		// carrying the
		// action out does not count against the action
		Instant since = attempt.map(Verification::answeredAt).orElse(run.watchSince());
		String strategy = attempt.map(Attempts.Attempt::strategy).orElse(null);
		boolean circuit = "circuit-break".equals(strategy);
		List<ErrorFacts.Fact> errors = this.facts.byIds(incident.errorIds());
		Optional<AgentGraph.Node> target = this.agents.node(run.target());
		if ("failover".equals(strategy)) {
			// a failover is judged on the backup that took the work over
			target = target.map(AgentGraph.Node::backup).flatMap(this.agents::node);
		}
		HealthState state = target.map(AgentGraph.Node::state).orElse(HealthState.UNKNOWN);
		Instant lastSign = target.map(AgentGraph.Node::lastSign).orElse(null);
		JsonNode noted = attempt.map(Attempts.Attempt::evidence).orElse(null);
		// a circuit break is quiet from when the breakers closed (canaries may fail while
		// half-open), and the breakers' own transitions are its steps, not failures
		Instant quietSince = (circuit && noted != null && noted.has("closed_at"))
				? Instant.parse(noted.get("closed_at").asString()) : since;
		if (waitsForTheBus(run, since, quietSince)) {
			return;
		}
		Instant lastError = Quiet.lastError(errors, run.target(), circuit);
		// an error that reached the bus just after the answer was on its way before it
		boolean quiet = quietSince != null && !lastError.isAfter(quietSince.plus(this.properties.inFlight()));
		// heard from since the action, on Rebound's clock: a restarted process that has
		// not come back yet still shows the state its old self last reported, so the
		// attempt waits for it (within the restart grace) and, once it is back, gives it
		// the stabilization window before judging
		boolean heard = since == null || (lastSign != null && lastSign.isAfter(since.plus(this.properties.inFlight())));
		if (attempt.isPresent() && quiet) {
			Attempts.Attempt tried = attempt.get();
			boolean wentSilent = noted != null && noted.has("silent_at");
			if (!heard && Instant.now().isBefore(since.plus(this.properties.restartGrace()))) {
				if (!wentSilent) {
					this.attempts.note(tried.id(), "silent_at", Instant.now().toString());
				}
				again(run, this.properties.interval(),
						"level " + run.level() + " done; " + run.target()
								+ " has not been heard from since; waiting for it until "
								+ since.plus(this.properties.restartGrace()));
				return;
			}
			// a restarted target gets the window from its return, seen silent or not: one
			// back but not healthy yet has sent its new self's first heartbeats, too few
			// to
			// be healthy again after its old self's
			boolean restarted = RESTARTS.contains(tried.strategy()) && state != HealthState.HEALTHY;
			if (heard && (wentSilent || restarted) && (noted == null || !noted.has("back_at"))) {
				this.attempts.note(tried.id(), "back_at", lastSign.toString());
				Stabilization.Window window = this.stabilization.of(run.target(), errors);
				again(run, window.window(),
						"level " + run.level() + " done; " + run.target() + " is back; verifying after " + window);
				return;
			}
		}
		// a circuit break counts only once every breaker the agent reports is closed
		// again: open, then half-open with canary calls, then closed when they succeeded
		Map<String, String> breakers = target.map((t) -> t.signals().breakers()).orElse(Map.of());
		boolean closed = !circuit || (!breakers.isEmpty() && breakers.values().stream().allMatch("closed"::equals));
		if (circuit && attempt.isPresent() && heard) {
			Instant until = since.plus(this.properties.policy(run.policy()).circuitOpenFor())
				.plus(this.properties.restartGrace());
			if (!closed && Instant.now().isBefore(until)) {
				again(run, this.properties.interval(), "level " + run.level() + " (circuit-break) done; waiting for "
						+ run.target() + "'s breakers to close " + breakers + " until " + until);
				return;
			}
			if (closed && (noted == null || !noted.has("closed_at"))) {
				this.attempts.note(attempt.get().id(), "closed_at", Instant.now().toString());
				Stabilization.Window window = this.stabilization.of(run.target(), errors);
				again(run, window.window(), "level " + run.level() + " (circuit-break): " + run.target()
						+ "'s breakers closed; verifying after " + window);
				return;
			}
		}
		// a target whose metrics still head for their limits has not recovered, however
		// quiet it is: what a preemptive run is verified on
		Instant predicted = target.map(AgentGraph.Node::failurePredictedSince).orElse(null);
		boolean recovered = state == HealthState.HEALTHY && quiet && heard && closed && predicted == null;
		Map<String, Object> evidence = new LinkedHashMap<>();
		attempt.ifPresent((a) -> evidence.putAll(calls(a)));
		evidence.put("health", state.name().toLowerCase());
		evidence.put("last_error", lastError.toString());
		evidence.put("acted_at", String.valueOf(since));
		evidence.put("errors_quiet", quiet);
		evidence.put("heard_from_since", heard);
		evidence.put("failure_predicted", predicted != null);
		target.filter((t) -> !t.id().equals(run.target()))
			.ifPresent((backup) -> evidence.put("judged_on", backup.id()));
		if (circuit) {
			evidence.put("breakers", breakers);
		}
		evidence.put("last_sign", String.valueOf(lastSign));
		double share = recoveredShare(run.target(), errors, evidence);
		if (attempt.isEmpty()) {
			// held back while a dependency recovered: did it recover with it?
			if (recovered) {
				this.outcomes.succeed(run, null,
						"recovered with its dependency, without an action of its own: healthy, and no new "
								+ "errors since " + since);
				return;
			}
			this.store.next(run.id(), run.level(), run.levelAttempts(), Phase.ACT, Duration.ZERO, null,
					"did not recover with its dependency (" + state.name().toLowerCase()
							+ (quiet ? "" : ", errors continued") + "); level " + run.level() + " acts now");
			return;
		}
		Attempts.Attempt tried = attempt.get();
		int actions = tried.evidence().path("calls").size();
		Duration took = Duration.between(run.startedAt(), Instant.now());
		this.records.judged(run.errorKind(), tried.strategy(), run.level(), recovered, took.toMillis() / 1000.0, share,
				actions);
		String outcome = recovered ? "succeeded" : "failed";
		this.attempts.judge(tried.id(), outcome, evidence);
		this.events.publishEvent(new RecoveryEvent.RecoveryAttemptJudged(run.id(), run.incidentId(), run.target(),
				run.level(), tried.id(), tried.strategy(), outcome, Instant.now()));
		if (recovered) {
			this.outcomes.succeed(run, tried.strategy(), "level " + run.level() + " (" + tried.strategy()
					+ ") recovered " + run.target() + ": healthy, and no new errors since the action");
			return;
		}
		this.outcomes.failed(run, tried.id(),
				"level " + run.level() + " (" + tried.strategy() + ") did not recover " + run.target() + " ("
						+ state.name().toLowerCase() + (quiet ? "" : ", errors continued")
						+ (heard ? "" : ", not heard from since the action")
						+ (closed ? "" : ", breakers not closed: " + breakers)
						+ ((predicted == null) ? "" : ", a failure still predicted (since " + predicted + ")") + ")");
	}

	/** Verifies again after this pause. */
	/**
	 * Whether the attempt must wait for what may still be on its way to Rebound (and is
	 * rescheduled): the reports agents kept while the bus did not answer, or what the
	 * consumers catching up have not stored yet.
	 */
	private boolean waitsForTheBus(RecoveryStore.Run run, Instant since, Instant quietSince) {
		Optional<Instant> away = (since != null) ? this.bus.unreachableSince(since.minus(this.properties.inFlight()))
				: Optional.empty();
		if (away.isPresent()) {
			// while the bus was away Rebound refused what agents sent; they send it again
			// within their longest back-off of its return
			again(run, this.properties.interval(),
					"level " + run.level() + ": verification waits " + HELD_REPORTS.toSeconds() + " s from the bus's "
							+ "return (it did not answer at " + away.get()
							+ "), for the reports agents kept while it was away");
			return true;
		}
		Duration lag = this.bus.behindBy();
		if (quietSince == null || lag.compareTo(Duration.ofSeconds(1)) < 0) {
			return false;
		}
		// the consumers are catching up: judge the window once what they have stored
		// reaches its end
		Instant viewed = Instant.now().minus(lag);
		Instant windowEnd = quietSince.plus(this.stabilization.of(run).window());
		if (!viewed.isBefore(windowEnd)) {
			return false;
		}
		Duration wait = Duration.between(viewed, windowEnd);
		again(run, (wait.compareTo(this.properties.interval()) > 0) ? wait : this.properties.interval(),
				"level " + run.level() + ": verification waits until Rebound's view of the bus, " + lag.toMillis()
						+ " ms behind while its consumers catch up, reaches the window's end");
		return true;
	}

	private void again(RecoveryStore.Run run, Duration in, String reason) {
		this.store.next(run.id(), run.level(), run.levelAttempts(), Phase.VERIFY, in, run.attemptId(), reason);
	}

	/** The share of the incident's agents (root and symptoms) that are healthy now. */
	private double recoveredShare(String target, List<ErrorFacts.Fact> errors, Map<String, Object> evidence) {
		Set<String> affected = new LinkedHashSet<>();
		affected.add(target);
		errors.forEach((e) -> affected.add(e.source()));
		long healthy = affected.stream()
			.filter((a) -> this.agents.node(a).map((n) -> n.state() == HealthState.HEALTHY).orElse(false))
			.count();
		evidence.put("affected_agents_healthy", healthy + "/" + affected.size());
		return (double) healthy / affected.size();
	}

	private static Map<String, Object> calls(Attempts.Attempt attempt) {
		Map<String, Object> before = new LinkedHashMap<>();
		attempt.evidence().properties().forEach((e) -> before.put(e.getKey(), e.getValue()));
		return before;
	}

	private static Instant answeredAt(Attempts.Attempt attempt) {
		JsonNode answered = (attempt.evidence() != null) ? attempt.evidence().get("answered_at") : null;
		return (answered != null && answered.isString()) ? Instant.parse(answered.asString()) : attempt.startedAt();
	}

}
