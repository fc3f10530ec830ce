package io.rebound.correlation;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rebound.correlation.IncidentQueries.IncidentDetails;
import io.rebound.errors.Severity;
import io.rebound.security.Caller;
import io.rebound.web.Page;
import io.rebound.web.ProblemException;
import io.rebound.web.QueryParameters;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The incidents API: list and read incidents, and a person's resolve, close, merge and
 * split. Merges and splits are remembered: later events of the errors moved follow them.
 */
@RestController
@RequestMapping("/api/incidents")
class IncidentController {

	private static final Set<String> LIST_PARAMETERS = Set.of("status", "severity", "min_severity", "root_agent",
			"agent", "cause", "since", "until", "limit", "cursor");

	private final IncidentQueries queries;

	private final IncidentLifecycle lifecycle;

	IncidentController(IncidentQueries queries, IncidentLifecycle lifecycle) {
		this.queries = queries;
		this.lifecycle = lifecycle;
	}

	@GetMapping
	Page<IncidentRow> list(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, LIST_PARAMETERS);
		List<String> severities = Arrays.stream(Severity.values()).map(Severity::wire).toList();
		Severity exact = query.choice("severity", Severity::fromWire, severities);
		Severity minimum = query.choice("min_severity", Severity::fromWire, severities);
		List<Severity> kept = (exact != null) ? List.of(exact) : (minimum != null) ? minimum.atLeast() : null;
		if (exact != null && minimum != null && exact.rank() < minimum.rank()) {
			kept = List.of();
		}
		IncidentQueries.Filter filter = new IncidentQueries.Filter(
				query.choice("status", IncidentStatus::fromWire,
						Arrays.stream(IncidentStatus.values()).map(IncidentStatus::wire).toList()),
				kept, query.text("root_agent"), query.text("agent"), query.text("cause"), query.instant("since"),
				query.instant("until"));
		return this.queries.list(filter, query.cursor(), query.limit());
	}

	@GetMapping("/{id}")
	IncidentDetails get(@PathVariable UUID id) {
		return this.queries.get(id).orElseThrow(() -> ProblemException.notFound("Incident", id));
	}

	@PostMapping("/{id}/resolve")
	IncidentDetails resolve(@PathVariable UUID id, @RequestBody(required = false) Action action) {
		Action body = Action.of(action);
		this.lifecycle.resolve(id, body.actor(), body.note());
		return get(id);
	}

	@PostMapping("/{id}/close")
	IncidentDetails close(@PathVariable UUID id, @RequestBody(required = false) Action action) {
		Action body = Action.of(action);
		this.lifecycle.close(id, body.actor(), body.note());
		return get(id);
	}

	@PostMapping("/{id}/merge")
	IncidentDetails merge(@PathVariable UUID id, @RequestBody MergeRequest request) {
		if (request.incidents() == null || request.incidents().isEmpty() || request.incidents().size() > 100
				|| request.incidents().contains(null)) {
			throw ProblemException.badRequest("invalid-merge", "Invalid merge",
					"'incidents' must list 1 to 100 incident ids to merge into this one.");
		}
		this.lifecycle.merge(id, request.incidents(), Action.of(new Action(request.by(), null)).actor());
		return get(id);
	}

	@PostMapping("/{id}/split")
	ResponseEntity<IncidentDetails> split(@PathVariable UUID id, @RequestBody SplitRequest request) {
		if (request.errorIds() == null || request.errorIds().isEmpty() || request.errorIds().size() > 1000
				|| request.errorIds().contains(null)) {
			throw ProblemException.badRequest("invalid-split", "Invalid split",
					"'error_ids' must list 1 to 1000 errors of this incident to move into a new one.");
		}
		Action body = Action.of(new Action(request.by(), request.note()));
		UUID split = this.lifecycle.split(id, request.errorIds(), body.actor(), body.note());
		return ResponseEntity.created(URI.create("/api/incidents/" + split)).body(get(split));
	}

	/**
	 * A person's resolve or close.
	 *
	 * @param by who, at most 128 characters (default {@code api})
	 * @param note why, at most 2,000 characters
	 */
	record Action(String by, String note) {

		static Action of(Action action) {
			Action body = (action != null) ? action : new Action(null, null);
			if (body.note() != null && body.note().length() > 2000) {
				throw ProblemException.badRequest("invalid-action", "Invalid request",
						"'note' is " + body.note().length() + " characters long; at most 2000 are allowed.");
			}
			if (body.by() != null && (body.by().isBlank() || body.by().length() > 128)) {
				throw ProblemException.badRequest("invalid-action", "Invalid request",
						"'by' must be 1 to 128 characters long.");
			}
			return body;
		}

		String actor() {
			return (this.by != null) ? this.by : Caller.current().name();
		}

	}

	/**
	 * @param incidents the incidents to merge into this one
	 * @param by who
	 */
	record MergeRequest(List<UUID> incidents, String by) {
	}

	/**
	 * @param errorIds the errors to move into a new incident
	 * @param by who
	 * @param note why
	 */
	record SplitRequest(List<UUID> errorIds, String by, String note) {
	}

}
