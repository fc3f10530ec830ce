package io.rebound.recovery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rebound.security.Audit;
import io.rebound.security.Caller;
import io.rebound.web.ProblemException;
import io.rebound.web.QueryParameters;

import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Acting on recovery: a run's plan (where it stands, what happens next and when, and
 * why), approval, reset, and the kill switch. What recovery did is
 * {@link RecoveryReportController}'s.
 */
@RestController
@RequestMapping("/api/recovery")
class RecoveryController {

	private final RecoveryStore store;

	private final Attempts attempts;

	private final Audit audit;

	RecoveryController(RecoveryStore store, Attempts attempts, Audit audit) {
		this.store = store;
		this.attempts = attempts;
		this.audit = audit;
	}

	/**
	 * What to reset: one incident's run, one agent's runs, or (with {@code all}) every
	 * run.
	 *
	 * @param incidentId one incident
	 * @param agent one agent
	 * @param all every run
	 */
	record ResetRequest(UUID incidentId, String agent, Boolean all) {
	}

	@PostMapping("/reset")
	@Transactional
	Map<String, Object> reset(@org.springframework.web.bind.annotation.RequestBody ResetRequest request) {
		boolean all = request != null && Boolean.TRUE.equals(request.all());
		if (request == null || (request.incidentId() == null && request.agent() == null && !all)) {
			throw ProblemException.badRequest("invalid-reset", "Invalid reset",
					"Say what to reset: {\"incident_id\": …}, {\"agent\": …} or {\"all\": true}.");
		}
		int reset = this.store.reset(all ? null : request.incidentId(), all ? null : request.agent());
		this.audit.record("recovery.reset",
				all ? "all" : String.valueOf((request.incidentId() != null) ? request.incidentId() : request.agent()),
				Map.of("runs", reset));
		return Map.of("runs_reset", reset);
	}

	/**
	 * A run and its attempts.
	 *
	 * @param run where it stands, what is next ({@code phase} at {@code next_at}) and why
	 * @param attempts what was tried, oldest first, with the evidence of each verdict
	 */
	record RunView(RecoveryStore.Run run, List<Attempts.Attempt> attempts) {
	}

	@GetMapping("/runs/{id}")
	RunView run(@PathVariable UUID id) {
		RecoveryStore.Run run = this.store.find(id).orElseThrow(() -> ProblemException.notFound("Recovery run", id));
		return new RunView(run, this.attempts.ofRun(id));
	}

	@GetMapping("/runs")
	RunView runOf(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, Set.of("incident_id"));
		UUID id = uuid(query, "incident_id");
		if (id == null) {
			throw ProblemException.badRequest("invalid-parameter", "Invalid parameter", "'incident_id' is required.");
		}
		RecoveryStore.Run run = this.store.forIncident(id)
			.orElseThrow(() -> ProblemException.notFound("Recovery run for incident", id));
		return run(run.id());
	}

	/**
	 * A person's go-ahead.
	 *
	 * @param by who approves (default: the caller)
	 * @param note why, or {@code null}
	 */
	record Approval(String by, String note) {
	}

	/**
	 * Approves a run that waits for it: level 5 under a policy that wants approval, or a
	 * run that was held for a person from the start ({@code human} or {@code fatal}): it
	 * acts at its level now. A run that exhausted the ladder is not approved but reset.
	 */
	@PostMapping("/runs/{id}/approve")
	@Transactional
	RunView approve(@PathVariable UUID id,
			@org.springframework.web.bind.annotation.RequestBody(required = false) Approval approval) {
		RecoveryStore.Run run = this.store.find(id).orElseThrow(() -> ProblemException.notFound("Recovery run", id));
		String by = (approval != null && approval.by() != null && !approval.by().isBlank()) ? approval.by()
				: Caller.current().name();
		String note = (approval != null && approval.note() != null) ? approval.note() : "";
		if (by.length() > 128 || note.length() > 2000) {
			throw ProblemException.badRequest("invalid-approval", "Invalid approval",
					"'by' may have at most 128 characters and 'note' at most 2,000.");
		}
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
		return run(id);
	}

	static UUID uuid(QueryParameters query, String name) {
		String value = query.text(name);
		if (value == null) {
			return null;
		}
		try {
			return UUID.fromString(value);
		}
		catch (IllegalArgumentException ex) {
			throw ProblemException.badRequest("invalid-parameter", "Invalid parameter",
					"'" + name + "' must be a UUID, not '" + value + "'.");
		}
	}

	@PostMapping("/pause")
	@Transactional
	Map<String, Object> pause() {
		this.store.pause(true, Caller.current().name());
		this.audit.record("recovery.pause", null, Map.of());
		return Map.of("paused", true);
	}

	@PostMapping("/resume")
	@Transactional
	Map<String, Object> resume() {
		this.store.pause(false, Caller.current().name());
		this.audit.record("recovery.resume", null, Map.of());
		return Map.of("paused", false);
	}

}
