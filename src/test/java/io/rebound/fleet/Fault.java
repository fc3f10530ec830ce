package io.rebound.fleet;

import java.util.Set;

/**
 * The faults the fleet injects, each with its cure known in advance: the control verbs
 * that end it (and the ladder level where the first of them is tried), or none. How an
 * agent shows each one — what it reports, what its heartbeats and health endpoint say —
 * is {@link FleetAgent}'s.
 */
enum Fault {

	/** An upstream call times out until the agent retries it: a retry cures it. */
	TRANSIENT("transient", 1, Set.of("retry", "reload", "restart"),
			"upstream call timed out after 30s calling api.internal"),

	/** Its configuration drifted: a reload (or a restart) reads it again. */
	CONFIG_DRIFT("config drift", 2, Set.of("reload", "restart"),
			"configuration invalid: missing required setting 'pool_size' in /etc/agent/config.yaml"),

	/** Its worker crashed: only a restart brings it back. */
	CRASH("crash", 3, Set.of("restart"), "worker exited: segmentation fault (signal 11)"),

	/**
	 * Its main loop hangs: no heartbeats, the health endpoint fails; a restart cures it.
	 */
	HANG("hang", 3, Set.of("restart"), null),

	/**
	 * A dependency every dependant needs goes down: a restart of the dependency cures it
	 * and its dependants with it (they report connection refused meanwhile, and must be
	 * symptoms, never restarted themselves).
	 */
	DEPENDENCY("dependency outage", 3, Set.of("restart"), "database process exited: fatal shared memory error"),

	/**
	 * A group shares poisoned state: only restarting the whole group at once cures it.
	 */
	POISONED_GROUP("poisoned group", 5, Set.of("restart"), "shared state generation mismatch: peer cache is poisoned"),

	/** Memory leaks and the response time rises until a restart. */
	SLOW_LEAK("slow leak", 3, Set.of("restart"), null),

	/** Failing and fine by turns, every few seconds, until a restart. */
	FLAPPING("flapping", 3, Set.of("restart"), "request failed: upstream returned 503 service unavailable"),

	/** Nothing an action does cures it: it must reach a person. */
	UNCURABLE("uncurable", 0, Set.of(), "model output rejected: schema version 7 is not supported by this build"),

	/** A security fault: it must never be acted on automatically. */
	SECURITY("security", 0, Set.of(), "authentication failed: invalid api key for upstream payments"),

	/**
	 * The process answers health checks and heartbeats fine while its work fails; a
	 * restart cures it.
	 */
	LOOKS_FINE("looks fine", 3, Set.of("restart"), "job produced no output: result validation failed (empty result)");

	final String label;

	/** The ladder level whose strategies cure it first; 0: no action cures it. */
	final int cureLevel;

	/** The control verbs that end it. */
	final Set<String> curedBy;

	/** What the agent reports while it lasts, or {@code null} when it reports nothing. */
	final String message;

	Fault(String label, int cureLevel, Set<String> curedBy, String message) {
		this.label = label;
		this.cureLevel = cureLevel;
		this.curedBy = curedBy;
		this.message = message;
	}

	boolean curable() {
		return this.cureLevel > 0;
	}

	/** Whether the agent goes silent (no heartbeats) while it lasts. */
	boolean silent() {
		return this == HANG;
	}

	/** The error type it reports under. */
	String type() {
		return switch (this) {
			case CRASH, DEPENDENCY -> "crash";
			case SECURITY -> "auth_error";
			case CONFIG_DRIFT -> "config_error";
			case TRANSIENT -> "timeout";
			case FLAPPING -> "upstream_error";
			default -> "job_failed";
		};
	}

}
