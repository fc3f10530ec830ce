package io.rebound.correlation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rebound.errors.ErrorFacts.Fact;

/**
 * What the placement rules may read of a correlation round: where errors stand, the
 * active incidents, the dependency graph's failing roots, and the open errors of a cause.
 * Read-only: the round applies the decisions and changes what it shows.
 */
interface RoundView {

	/** The round's clock: Rebound's, never the agents'. */
	Instant now();

	CorrelationProperties properties();

	/** The incident the error is a member of now. */
	Optional<IncidentMembers.Membership> membership(UUID errorId);

	/** The incident a person pinned the error to by a merge or split. */
	Optional<UUID> pin(UUID errorId);

	/** The incident the error was last part of, whether active or not. */
	Optional<IncidentRow> lastIncident(UUID errorId);

	/** The active incident whose root is this agent (never a manual one). */
	Optional<IncidentRow> activeOfRoot(String agent);

	/** The active incident correlating on this key. */
	Optional<IncidentRow> activeByKey(String key);

	/** An incident by id, active or not. */
	IncidentRow incident(UUID id);

	/** The failing dependency behind this agent's errors. */
	Optional<DependencyRoots.Root> dependencyRoot(String source);

	/** The incident trigger of the rule that classified an error. */
	CompiledRule.Trigger trigger(String ruleId);

	/**
	 * The open errors of this cause within the longest trigger window, as this round
	 * knows them.
	 */
	List<Fact> openWithCause(String cause);

	/** Events of this error since then, counted up to the limit. */
	int eventsSince(UUID errorId, Instant since, int limit);

}
