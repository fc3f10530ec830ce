package io.rebound.recovery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rebound.security.Caller;
import io.rebound.web.ProblemException;
import io.rebound.web.QueryParameters;

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

	private final RecoveryActions actions;

	RecoveryController(RecoveryStore store, Attempts attempts, RecoveryActions actions) {
		this.store = store;
		this.attempts = attempts;
		this.actions = actions;
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
	Map<String, Object> reset(@org.springframework.web.bind.annotation.RequestBody ResetRequest request) {
		boolean all = request != null && Boolean.TRUE.equals(request.all());
		if (request == null || (request.incidentId() == null && request.agent() == null && !all)) {
			throw ProblemException.badRequest("invalid-reset", "Invalid reset",
					"Say what to reset: {\"incident_id\": …}, {\"agent\": …} or {\"all\": true}.");
		}
		return Map.of("runs_reset",
				this.actions.reset(all ? null : request.incidentId(), all ? null : request.agent()));
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
	RunView approve(@PathVariable UUID id,
			@org.springframework.web.bind.annotation.RequestBody(required = false) Approval approval) {
		this.store.find(id).orElseThrow(() -> ProblemException.notFound("Recovery run", id));
		String by = (approval != null && approval.by() != null && !approval.by().isBlank()) ? approval.by()
				: Caller.current().name();
		String note = (approval != null && approval.note() != null) ? approval.note() : "";
		if (by.length() > 128 || note.length() > 2000) {
			throw ProblemException.badRequest("invalid-approval", "Invalid approval",
					"'by' may have at most 128 characters and 'note' at most 2,000.");
		}
		this.actions.approve(id, by, note);
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
	Map<String, Object> pause() {
		this.actions.pause(true, Caller.current().name());
		return Map.of("paused", true);
	}

	@PostMapping("/resume")
	Map<String, Object> resume() {
		this.actions.pause(false, Caller.current().name());
		return Map.of("paused", false);
	}

}
