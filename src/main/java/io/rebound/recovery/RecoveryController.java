package io.rebound.recovery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rebound.web.Audit;
import io.rebound.web.Caller;
import io.rebound.web.ProblemException;
import io.rebound.web.QueryParameters;

import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The recovery API so far: a run's plan (where it stands, what happens next and when, and
 * why), the history of attempts, and the kill switch.
 */
@RestController
@RequestMapping("/api/recovery")
class RecoveryController {

	private final RecoveryStore store;

	private final Audit audit;

	RecoveryController(RecoveryStore store, Audit audit) {
		this.store = store;
		this.audit = audit;
	}

	/**
	 * A run and its attempts.
	 *
	 * @param run where it stands, what is next ({@code phase} at {@code next_at}) and why
	 * @param attempts what was tried, oldest first, with the evidence of each verdict
	 */
	record RunView(RecoveryStore.Run run, List<RecoveryStore.Attempt> attempts) {
	}

	@GetMapping("/runs/{id}")
	RunView run(@PathVariable UUID id) {
		RecoveryStore.Run run = this.store.find(id).orElseThrow(() -> ProblemException.notFound("Recovery run", id));
		return new RunView(run, this.store.attempts(id));
	}

	@GetMapping("/runs")
	RunView runOf(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, Set.of("incident_id"));
		String incident = query.text("incident_id");
		if (incident == null) {
			throw ProblemException.badRequest("invalid-parameter", "Invalid parameter", "'incident_id' is required.");
		}
		UUID id;
		try {
			id = UUID.fromString(incident);
		}
		catch (IllegalArgumentException ex) {
			throw ProblemException.badRequest("invalid-parameter", "Invalid parameter",
					"'incident_id' must be a UUID, not '" + incident + "'.");
		}
		RecoveryStore.Run run = this.store.forIncident(id)
			.orElseThrow(() -> ProblemException.notFound("Recovery run for incident", id));
		return run(run.id());
	}

	@GetMapping("/history")
	List<RecoveryStore.Attempt> history(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, Set.of("agent", "limit"));
		return this.store.history(query.text("agent"), query.limit());
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
