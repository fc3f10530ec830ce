package io.rebound.correlation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rebound.Settings;
import io.rebound.errors.Category;
import io.rebound.errors.ErrorFacts.Fact;
import io.rebound.errors.ErrorStatus;
import io.rebound.errors.Severity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each placement rule on its own, over a round view built by hand: what it places, what
 * it passes on, and the order that makes the first match win.
 */
class PlacementRulesTests {

	static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

	final View round = new View();

	@Nested
	class OpenOnly {

		@Test
		void aResolvedErrorStaysWhereItIs() {
			Fact resolved = copy(error("api", Severity.CRITICAL, null)).with(ErrorStatus.RESOLVED);
			assertThat(decision(PlacementRules.openOnly(resolved, PlacementRulesTests.this.round)))
				.isEqualTo(new Decision.Stay("the error is resolved"));
		}

		@Test
		void anOpenOrRegressedErrorIsPassedOn() {
			assertThat(PlacementRules.openOnly(error("api", Severity.LOW, null), PlacementRulesTests.this.round))
				.isEqualTo(PlacementRule.Passed.QUIETLY);
			assertThat(PlacementRules.openOnly(copy(error("api", Severity.LOW, null)).with(ErrorStatus.REGRESSED),
					PlacementRulesTests.this.round))
				.isEqualTo(PlacementRule.Passed.QUIETLY);
		}

	}

	@Nested
	class ExistingIncident {

		@Test
		void aMemberStaysInItsIncidentInItsRole() {
			IncidentRow incident = PlacementRulesTests.this.round.active(incident("cause:db", "db"));
			Fact error = error("api", Severity.LOW, null);
			PlacementRulesTests.this.round.memberships.put(error.id(),
					new IncidentMembers.Membership(incident.id(), "symptom"));
			Decision.Join join = (Decision.Join) decision(
					PlacementRules.existingIncident(error, PlacementRulesTests.this.round));
			assertThat(join.incident()).isEqualTo(incident);
			assertThat(join.role()).isEqualTo("symptom");
		}

		@Test
		void anErrorInNoIncidentIsPassedOn() {
			assertThat(
					PlacementRules.existingIncident(error("api", Severity.LOW, null), PlacementRulesTests.this.round))
				.isEqualTo(PlacementRule.Passed.QUIETLY);
		}

	}

	@Nested
	class Pinned {

		@Test
		void aPinnedErrorJoinsTheActiveIncidentItWasPinnedTo() {
			IncidentRow incident = PlacementRulesTests.this.round.active(incident("manual:1", "api"));
			Fact error = error("api", Severity.LOW, null);
			PlacementRulesTests.this.round.pins.put(error.id(), incident.id());
			Decision.Join join = (Decision.Join) decision(PlacementRules.pinned(error, PlacementRulesTests.this.round));
			assertThat(join.incident()).isEqualTo(incident);
			assertThat(join.why()).isEqualTo("a person merged or split it into this incident");
		}

		@Test
		void aPinnedErrorWhoseIncidentEndedOpensItsRecurrence() {
			IncidentRow over = PlacementRulesTests.this.round
				.known(copy(incident("manual:1", "api")).with(IncidentStatus.RESOLVED).row());
			Fact error = error("api", Severity.LOW, null);
			PlacementRulesTests.this.round.pins.put(error.id(), over.id());
			Decision.Open open = (Decision.Open) decision(PlacementRules.pinned(error, PlacementRulesTests.this.round));
			assertThat(open.kind()).isEqualTo("recurrence");
			assertThat(open.key()).isEqualTo("manual:1");
			assertThat(open.previous()).isEqualTo(over);
			assertThat(open.title()).isEqualTo("Recurrence: " + over.title());
		}

	}

	@Nested
	class FailingDependency {

		@Test
		void anErrorOfADependantJoinsTheIncidentOfTheFailingRootAsASymptom() {
			IncidentRow db = PlacementRulesTests.this.round.active(incident("agent:db", "db"));
			PlacementRulesTests.this.round.roots.put("api",
					new DependencyRoots.Root("db", List.of("api", "db"), "health critical"));
			Decision.Join join = (Decision.Join) decision(PlacementRules
				.failingDependency(error("api", Severity.HIGH, null), PlacementRulesTests.this.round));
			assertThat(join.incident()).isEqualTo(db);
			assertThat(join.role()).isEqualTo("symptom");
			assertThat(join.path()).containsExactly("api", "db");
			assertThat(join.why()).isEqualTo("api depends on db, and db is failing (health critical)");
		}

		@Test
		void aFailingRootWithoutAnIncidentGetsOneKeyedByItsAgent() {
			PlacementRulesTests.this.round.roots.put("web",
					new DependencyRoots.Root("db", List.of("web", "api", "db"), "health failed"));
			Decision.Open open = (Decision.Open) decision(PlacementRules
				.failingDependency(error("web", Severity.HIGH, null), PlacementRulesTests.this.round));
			assertThat(open.kind()).isEqualTo("dependency");
			assertThat(open.key()).isEqualTo("agent:db");
			assertThat(open.rootAgent()).isEqualTo("db");
			assertThat(open.path()).containsExactly("web", "api", "db");
			assertThat(open.reason()).containsEntry("root_evidence", "health failed");
			assertThat(open.previous()).isNull();
		}

		@Test
		void anAgentWithNoFailingDependencyIsPassedOn() {
			assertThat(
					PlacementRules.failingDependency(error("api", Severity.HIGH, null), PlacementRulesTests.this.round))
				.isEqualTo(PlacementRule.Passed.QUIETLY);
		}

	}

	@Nested
	class OwnAgent {

		@Test
		void anErrorOfAnIncidentsRootAgentJoinsItAsRoot() {
			IncidentRow own = PlacementRulesTests.this.round.active(incident("error:1", "api"));
			Decision.Join join = (Decision.Join) decision(
					PlacementRules.ownAgent(error("api", Severity.LOW, null), PlacementRulesTests.this.round));
			assertThat(join.incident()).isEqualTo(own);
			assertThat(join.role()).isEqualTo("root");
		}

	}

	@Nested
	class Recurrence {

		@Test
		void anErrorBackAfterItsIncidentWasResolvedJoinsTheReopenedIncidentOfItsKey() {
			IncidentRow over = copy(incident("cause:db", "db")).with(IncidentStatus.RESOLVED).row();
			IncidentRow again = PlacementRulesTests.this.round.active(incident("cause:db", "db"));
			Fact error = error("db", Severity.LOW, null);
			PlacementRulesTests.this.round.lastIncidents.put(error.id(), over);
			Decision.Join join = (Decision.Join) decision(
					PlacementRules.recurrence(error, PlacementRulesTests.this.round));
			assertThat(join.incident()).isEqualTo(again);
			assertThat(join.why()).contains("the incident of its key cause:db is open again");
		}

		@Test
		void aRecurrenceIsLinkedToThePreviousIncidentAndTitledOnce() {
			IncidentRow over = copy(incident("cause:db", "db")).with(IncidentStatus.RESOLVED)
				.titled("Recurrence: db down");
			Fact error = error("api", Severity.LOW, null);
			PlacementRulesTests.this.round.lastIncidents.put(error.id(), over);
			Decision.Open open = (Decision.Open) decision(
					PlacementRules.recurrence(error, PlacementRulesTests.this.round));
			assertThat(open.title()).isEqualTo("Recurrence: db down");
			assertThat(open.rootAgent()).isEqualTo("db");
			assertThat(open.reason()).containsEntry("previous_incident_id", over.id().toString());
		}

		@Test
		void anErrorWhoseLastIncidentIsStillActiveIsPassedOn() {
			Fact error = error("api", Severity.LOW, null);
			PlacementRulesTests.this.round.lastIncidents.put(error.id(), incident("cause:db", "db"));
			assertThat(PlacementRules.recurrence(error, PlacementRulesTests.this.round))
				.isEqualTo(PlacementRule.Passed.QUIETLY);
		}

	}

	@Nested
	class Cause {

		@Test
		void anErrorOfACauseJoinsTheActiveIncidentOfItsCauseAndTarget() {
			IncidentRow incident = PlacementRulesTests.this.round.active(incident("cause:db.down@orders", "db"));
			Fact error = copy(error("api", Severity.LOW, "db.down")).grouped("orders");
			Decision.Join join = (Decision.Join) decision(PlacementRules.cause(error, PlacementRulesTests.this.round));
			assertThat(join.incident()).isEqualTo(incident);
		}

		@Test
		void aRuleThatGroupsBySourceKeysBySource() {
			PlacementRulesTests.this.round.triggers.put("r1",
					new CompiledRule.Trigger(true, 3, 1, Duration.ofMinutes(5)));
			assertThat(PlacementRules.causeKey(error("api", Severity.LOW, "db.down"),
					PlacementRulesTests.this.round.trigger("r1")))
				.isEqualTo("cause:db.down@api");
		}

		@Test
		void anErrorNoRuleMatchedSaysSo() {
			assertThat(PlacementRules.cause(error("api", Severity.LOW, null), PlacementRulesTests.this.round))
				.isEqualTo(new PlacementRule.Passed("it matched no rule"));
		}

	}

	@Nested
	class Threshold {

		@Test
		void belowTheThresholdItWaitsWithTheFigures() {
			Fact error = error("api", Severity.LOW, "db.down");
			PlacementRulesTests.this.round.byCause.put("db.down", List.of(error));
			assertThat(PlacementRules.threshold(error, PlacementRulesTests.this.round)).isEqualTo(
					new PlacementRule.Passed("cause db.down: 1 of 3 open errors from 1 of 2 agents within PT5M"));
		}

		@Test
		void enoughOpenErrorsFromEnoughAgentsOpenOneIncidentRootedAtTheFirstToFail() {
			Fact first = copy(error("db", Severity.LOW, "db.down")).firstSeen(NOW.minusSeconds(120));
			Fact second = copy(error("api", Severity.LOW, "db.down")).firstSeen(NOW.minusSeconds(60));
			Fact third = error("web", Severity.LOW, "db.down");
			PlacementRulesTests.this.round.byCause.put("db.down", List.of(first, second, third));
			Decision.Open open = (Decision.Open) decision(
					PlacementRules.threshold(third, PlacementRulesTests.this.round));
			assertThat(open.kind()).isEqualTo("rule");
			assertThat(open.key()).isEqualTo("cause:db.down");
			assertThat(open.members()).containsExactlyInAnyOrder(first, second, third);
			assertThat(open.rootAgent()).isEqualTo("db");
			assertThat(open.reason()).containsEntry("errors", 3).containsEntry("sources", 3L);
		}

		@Test
		void errorsPlacedAlreadyPinnedOrReceivedBeforeTheWindowDoNotCount() {
			Fact member = error("db", Severity.LOW, "db.down");
			Fact pinned = error("api", Severity.LOW, "db.down");
			Fact old = copy(error("web", Severity.LOW, "db.down")).received(NOW.minus(Duration.ofMinutes(6)));
			Fact error = error("app", Severity.LOW, "db.down");
			PlacementRulesTests.this.round.memberships.put(member.id(),
					new IncidentMembers.Membership(UUID.randomUUID(), "member"));
			PlacementRulesTests.this.round.pins.put(pinned.id(), UUID.randomUUID());
			PlacementRulesTests.this.round.byCause.put("db.down", List.of(member, pinned, old, error));
			assertThat(PlacementRules.threshold(error, PlacementRulesTests.this.round)).isEqualTo(
					new PlacementRule.Passed("cause db.down: 1 of 3 open errors from 1 of 2 agents within PT5M"));
		}

	}

	@Nested
	class SeverityAlone {

		@Test
		void aCriticalErrorOpensAnIncidentOnItsOwn() {
			Fact error = error("api", Severity.CRITICAL, null);
			Decision.Open open = (Decision.Open) decision(
					PlacementRules.severity(error, PlacementRulesTests.this.round));
			assertThat(open.kind()).isEqualTo("severity");
			assertThat(open.key()).isEqualTo("error:" + error.id());
		}

		@Test
		void aHighErrorDoesNotAtTheDefaultOpenAt() {
			assertThat(PlacementRules.severity(error("api", Severity.HIGH, null), PlacementRulesTests.this.round))
				.isEqualTo(PlacementRule.Passed.QUIETLY);
		}

	}

	@Nested
	class Burst {

		@Test
		void enoughEventsWithinTheWindowMakeABurst() {
			Fact error = error("api", Severity.LOW, null);
			PlacementRulesTests.this.round.events.put(error.id(), 5);
			Decision.Open open = (Decision.Open) decision(PlacementRules.burst(error, PlacementRulesTests.this.round));
			assertThat(open.kind()).isEqualTo("burst");
			assertThat(open.reason()).containsEntry("events", 5);
		}

		@Test
		void fewerEventsAreANote() {
			Fact error = error("api", Severity.LOW, null);
			PlacementRulesTests.this.round.events.put(error.id(), 4);
			assertThat(PlacementRules.burst(error, PlacementRulesTests.this.round))
				.isEqualTo(new PlacementRule.Passed("4 of 5 events within PT1M for a burst"));
		}

	}

	@Nested
	class Order {

		@Test
		void theFirstRuleThatPlacesWins() {
			// a member whose agent also has a failing dependency stays where it is
			IncidentRow incident = PlacementRulesTests.this.round.active(incident("error:1", "api"));
			PlacementRulesTests.this.round.active(incident("agent:db", "db"));
			PlacementRulesTests.this.round.roots.put("api",
					new DependencyRoots.Root("db", List.of("api", "db"), "health critical"));
			Fact error = error("api", Severity.CRITICAL, null);
			PlacementRulesTests.this.round.memberships.put(error.id(),
					new IncidentMembers.Membership(incident.id(), "root"));
			Decision.Join join = (Decision.Join) PlacementRules.decide(error, PlacementRulesTests.this.round);
			assertThat(join.incident()).isEqualTo(incident);
		}

		@Test
		void aFailingDependencyComesBeforeTheAgentsOwnIncident() {
			PlacementRulesTests.this.round.active(incident("error:1", "api"));
			IncidentRow db = PlacementRulesTests.this.round.active(incident("agent:db", "db"));
			PlacementRulesTests.this.round.roots.put("api",
					new DependencyRoots.Root("db", List.of("api", "db"), "health critical"));
			Decision.Join join = (Decision.Join) PlacementRules.decide(error("api", Severity.LOW, null),
					PlacementRulesTests.this.round);
			assertThat(join.incident()).isEqualTo(db);
		}

		@Test
		void anErrorNoRulePlacesStaysWithEveryNote() {
			Fact error = error("api", Severity.LOW, "db.down");
			PlacementRulesTests.this.round.byCause.put("db.down", List.of(error));
			PlacementRulesTests.this.round.events.put(error.id(), 2);
			assertThat(PlacementRules.decide(error, PlacementRulesTests.this.round))
				.isEqualTo(new Decision.Stay("cause db.down: 1 of 3 open errors from 1 of 2 agents within PT5M; "
						+ "2 of 5 events within PT1M for a burst"));
		}

	}

	@Nested
	class CommonRoot {

		@Test
		void agentsThatAllLeadToOneFailingAgentHaveItAsTheirRoot() {
			PlacementRulesTests.this.round.roots.put("api",
					new DependencyRoots.Root("db", List.of("api", "db"), "health critical"));
			PlacementRulesTests.this.round.roots.put("web",
					new DependencyRoots.Root("db", List.of("web", "api", "db"), "health critical"));
			assertThat(PlacementRules.commonRoot(java.util.Set.of("api", "web", "db"), PlacementRulesTests.this.round))
				.get()
				.extracting(DependencyRoots.Root::agent)
				.isEqualTo("db");
		}

		@Test
		void twoRootsOrAnAgentLeadingNowhereIsNoCommonRoot() {
			PlacementRulesTests.this.round.roots.put("api",
					new DependencyRoots.Root("db", List.of("api", "db"), "health critical"));
			PlacementRulesTests.this.round.roots.put("web",
					new DependencyRoots.Root("cache", List.of("web", "cache"), "health failed"));
			assertThat(PlacementRules.commonRoot(java.util.Set.of("api", "web"), PlacementRulesTests.this.round))
				.isEmpty();
			assertThat(PlacementRules.commonRoot(java.util.Set.of("api", "worker"), PlacementRulesTests.this.round))
				.as("worker's errors lead nowhere")
				.isEmpty();
			assertThat(PlacementRules.commonRoot(java.util.Set.of("worker"), PlacementRulesTests.this.round)).isEmpty();
		}

	}

	private static Decision decision(PlacementRule.Outcome outcome) {
		assertThat(outcome).isInstanceOf(PlacementRule.Placed.class);
		return ((PlacementRule.Placed) outcome).decision();
	}

	static Fact error(String source, Severity severity, String cause) {
		return (new Fact(UUID.randomUUID(), source, "Timeout", severity, ErrorStatus.OPEN, Category.NETWORK, cause,
				(cause != null) ? "r1" : null, null, null, null, 1, NOW.minusSeconds(10), NOW.minusSeconds(10),
				NOW.minusSeconds(5), "timed out", 1, null));
	}

	static IncidentRow incident(String key, String root) {
		return (new IncidentRow(UUID.randomUUID(), IncidentStatus.OPEN, "rule", key, root + " down", "high", null, null,
				null, null, root, null, List.of(), null, null, 1, 1, NOW.minusSeconds(300), NOW.minusSeconds(60),
				null));
	}

	static TestError copy(Fact fact) {
		return new TestError(fact);
	}

	static TestIncident copy(IncidentRow incident) {
		return new TestIncident(incident);
	}

	/** A fact, and copies of it with one thing changed. */
	record TestError(Fact fact) {

		Fact with(ErrorStatus status) {
			Fact f = this.fact;
			return new Fact(f.id(), f.source(), f.type(), f.severity(), status, f.category(), f.cause(), f.ruleId(),
					f.errorClass(), f.recovery(), f.groupKey(), f.count(), f.firstSeen(), f.lastSeen(),
					f.lastReceived(), f.message(), f.activitySeq(), f.resolvedAt());
		}

		Fact grouped(String groupKey) {
			Fact f = this.fact;
			return new Fact(f.id(), f.source(), f.type(), f.severity(), f.status(), f.category(), f.cause(), f.ruleId(),
					f.errorClass(), f.recovery(), groupKey, f.count(), f.firstSeen(), f.lastSeen(), f.lastReceived(),
					f.message(), f.activitySeq(), f.resolvedAt());
		}

		Fact firstSeen(Instant at) {
			Fact f = this.fact;
			return new Fact(f.id(), f.source(), f.type(), f.severity(), f.status(), f.category(), f.cause(), f.ruleId(),
					f.errorClass(), f.recovery(), f.groupKey(), f.count(), at, f.lastSeen(), f.lastReceived(),
					f.message(), f.activitySeq(), f.resolvedAt());
		}

		Fact received(Instant at) {
			Fact f = this.fact;
			return new Fact(f.id(), f.source(), f.type(), f.severity(), f.status(), f.category(), f.cause(), f.ruleId(),
					f.errorClass(), f.recovery(), f.groupKey(), f.count(), f.firstSeen(), f.lastSeen(), at, f.message(),
					f.activitySeq(), f.resolvedAt());
		}

	}

	/** An incident row, and copies of it with one thing changed. */
	record TestIncident(IncidentRow row) {

		TestIncident with(IncidentStatus status) {
			IncidentRow r = this.row;
			return copy(new IncidentRow(r.id(), status, r.kind(), r.key(), r.title(), r.severity(), r.cause(),
					r.ruleId(), r.errorClass(), r.recovery(), r.rootAgent(), r.rootErrorId(), r.rootPath(),
					r.previousIncidentId(), r.mergedInto(), r.errorCount(), r.sourceCount(), r.openedAt(),
					r.lastActivityAt(), r.resolvedAt()));
		}

		IncidentRow titled(String title) {
			IncidentRow r = this.row;
			return new IncidentRow(r.id(), r.status(), r.kind(), r.key(), title, r.severity(), r.cause(), r.ruleId(),
					r.errorClass(), r.recovery(), r.rootAgent(), r.rootErrorId(), r.rootPath(), r.previousIncidentId(),
					r.mergedInto(), r.errorCount(), r.sourceCount(), r.openedAt(), r.lastActivityAt(), r.resolvedAt());
		}

	}

	/** A round view held in maps, filled by each test. */
	static final class View implements RoundView {

		final CorrelationProperties properties = Settings.bind("rebound.correlation", CorrelationProperties.class);

		final Map<UUID, IncidentMembers.Membership> memberships = new HashMap<>();

		final Map<UUID, UUID> pins = new HashMap<>();

		final Map<UUID, IncidentRow> lastIncidents = new HashMap<>();

		final Map<UUID, IncidentRow> incidents = new HashMap<>();

		final List<IncidentRow> active = new ArrayList<>();

		final Map<String, DependencyRoots.Root> roots = new HashMap<>();

		final Map<String, CompiledRule.Trigger> triggers = new HashMap<>();

		final Map<String, List<Fact>> byCause = new HashMap<>();

		final Map<UUID, Integer> events = new HashMap<>();

		IncidentRow active(IncidentRow incident) {
			this.active.add(incident);
			return known(incident);
		}

		IncidentRow known(IncidentRow incident) {
			this.incidents.put(incident.id(), incident);
			return incident;
		}

		@Override
		public Instant now() {
			return NOW;
		}

		@Override
		public CorrelationProperties properties() {
			return this.properties;
		}

		@Override
		public Optional<IncidentMembers.Membership> membership(UUID errorId) {
			return Optional.ofNullable(this.memberships.get(errorId));
		}

		@Override
		public Optional<UUID> pin(UUID errorId) {
			return Optional.ofNullable(this.pins.get(errorId));
		}

		@Override
		public Optional<IncidentRow> lastIncident(UUID errorId) {
			return Optional.ofNullable(this.lastIncidents.get(errorId));
		}

		@Override
		public Optional<IncidentRow> activeOfRoot(String agent) {
			return this.active.stream().filter((i) -> agent.equals(i.rootAgent())).findFirst();
		}

		@Override
		public Optional<IncidentRow> activeByKey(String key) {
			return this.active.stream().filter((i) -> i.key().equals(key)).findFirst();
		}

		@Override
		public IncidentRow incident(UUID id) {
			return this.incidents.get(id);
		}

		@Override
		public Optional<DependencyRoots.Root> dependencyRoot(String source) {
			return Optional.ofNullable(this.roots.get(source));
		}

		@Override
		public CompiledRule.Trigger trigger(String ruleId) {
			CorrelationProperties.Incident defaults = this.properties.incident();
			return this.triggers.getOrDefault(ruleId,
					new CompiledRule.Trigger(false, defaults.minErrors(), defaults.minSources(), defaults.window()));
		}

		@Override
		public List<Fact> openWithCause(String cause) {
			return this.byCause.getOrDefault(cause, List.of());
		}

		@Override
		public int eventsSince(UUID errorId, Instant since, int limit) {
			return Math.min(limit, this.events.getOrDefault(errorId, 0));
		}

	}

}
