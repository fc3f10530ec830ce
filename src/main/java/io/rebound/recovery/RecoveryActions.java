package io.rebound.recovery;

import java.util.Map;
import java.util.UUID;

import io.rebound.security.Audit;
import io.rebound.web.ProblemException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What people do to recovery, each in one transaction with its audit entry: reset runs
 * (and the restart-intensity counters), approve a run that waits for it, and the kill
 * switch.
 */
@Component
class RecoveryActions {

	private final RecoveryStore store;

	private final Audit audit;

	RecoveryActions(RecoveryStore store, Audit audit) {
		this.store = store;
		this.audit = audit;
	}

	/**
	 * Puts runs back to level 1: one incident's, one agent's, or (both {@code null})
	 * every run; how many.
	 */
	@Transactional
	int reset(UUID incidentId, String agent) {
		int reset = this.store.reset(incidentId, agent);
		this.audit.record("recovery.reset", (incidentId == null && agent == null) ? "all"
				: String.valueOf((incidentId != null) ? incidentId : agent), Map.of("runs", reset));
		return reset;
	}

	/**
	 * Approves a run that waits for it: level 5 under a policy that wants approval, or a
	 * run held for a person from the start; a conflict otherwise.
	 */
	@Transactional
	void approve(UUID id, String by, String note) {
		RecoveryStore.Run run = this.store.find(id).orElseThrow(() -> ProblemException.notFound("Recovery run", id));
		boolean awaitsApproval = run.status() == RunStatus.WAITING_APPROVAL;
		boolean heldFromStart = run.status() == RunStatus.WAITING_PERSON && run.attemptId() == null
				&& run.level() <= Ladder.PERSON;
		if (!awaitsApproval && !heldFromStart) {
			throw new ProblemException(HttpStatus.CONFLICT, "not-awaiting-approval", "Nothing to approve",
					"Run " + id + " is " + run.status().wire() + ((run.status() == RunStatus.WAITING_PERSON)
							? " after the ladder was exhausted; reset it (POST /api/recovery/reset) to start again"
							: "; only runs waiting for approval, or held for a person from the start, can be approved")
							+ ".",
					Map.of("status", run.status().wire()));
		}
		this.store.approve(id, by, "approved by " + by + ": level " + run.level() + " acts now");
		this.audit.record("recovery.approve", id.toString(), Map.of("level", run.level(), "by", by, "note", note));
	}

	/** The kill switch: while paused, no run takes a step. */
	@Transactional
	void pause(boolean paused, String by) {
		this.store.pause(paused, by);
		this.audit.record(paused ? "recovery.pause" : "recovery.resume", null, Map.of());
	}

}
