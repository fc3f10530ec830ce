package io.rebound.errors;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rebound.errors.ErrorViews.ErrorDetails;
import io.rebound.errors.ErrorViews.ErrorSummary;
import io.rebound.errors.ErrorViews.EventView;
import io.rebound.shared.Wire;
import io.rebound.web.Cursor;
import io.rebound.web.Page;
import io.rebound.web.ProblemException;
import io.rebound.web.QueryParameters;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The errors API: list and filter the aggregates, read one with its latest event and
 * grouping, page its events, resolve and reopen it.
 */
@RestController
@RequestMapping("/api/errors")
class ErrorController {

	private static final Set<String> LIST_PARAMETERS = Set.of("source", "severity", "min_severity", "type", "category",
			"status", "since", "until", "q", "limit", "cursor");

	private static final Set<String> PAGE_PARAMETERS = Set.of("limit", "cursor");

	private final ErrorQueries queries;

	private final ErrorLifecycle lifecycle;

	ErrorController(ErrorQueries queries, ErrorLifecycle lifecycle) {
		this.queries = queries;
		this.lifecycle = lifecycle;
	}

	@GetMapping
	Page<ErrorSummary> list(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, LIST_PARAMETERS);
		List<Severity> severities = severities(severity(query, "severity"), severity(query, "min_severity"));
		ErrorFilter filter = new ErrorFilter(query.text("source"), severities, query.text("type"),
				query.choice("category", Category::fromWire, wires(Category.values())),
				query.choice("status", ErrorStatus::fromWire, wires(ErrorStatus.values())), query.instant("since"),
				query.instant("until"), query.text("q"));
		return this.queries.list(filter, cursor(query, ErrorQueries.ERRORS, 2), query.limit());
	}

	@GetMapping("/{id}")
	ErrorDetails get(@PathVariable UUID id) {
		return this.queries.get(id).orElseThrow(() -> ProblemException.notFound("Error", id));
	}

	@GetMapping("/{id}/events")
	Page<EventView> events(@PathVariable UUID id, @RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, PAGE_PARAMETERS);
		if (!this.queries.exists(id)) {
			throw ProblemException.notFound("Error", id);
		}
		return this.queries.events(id, cursor(query, ErrorQueries.EVENTS, 1), query.limit());
	}

	@PostMapping("/{id}/resolve")
	ErrorDetails resolve(@PathVariable UUID id, @RequestBody(required = false) ResolveRequest request) {
		ResolveRequest body = (request != null) ? request : new ResolveRequest(null, null);
		this.lifecycle.resolve(id, body.validated());
		return get(id);
	}

	@PostMapping("/{id}/reopen")
	ErrorDetails reopen(@PathVariable UUID id) {
		this.lifecycle.reopen(id);
		return get(id);
	}

	private static Severity severity(QueryParameters query, String name) {
		return query.choice(name, Severity::fromWire, wires(Severity.values()));
	}

	private static List<String> wires(Wire[] values) {
		return Arrays.stream(values).map(Wire::wire).toList();
	}

	private static Cursor cursor(QueryParameters query, String listing, int keys) {
		return (query.cursor() != null) ? Cursor.decode(listing, query.cursor(), keys) : null;
	}

	private static List<Severity> severities(Severity exact, Severity minimum) {
		if (exact == null) {
			return (minimum != null) ? minimum.atLeast() : null;
		}
		if (minimum != null && exact.rank() < minimum.rank()) {
			return List.of();
		}
		return List.of(exact);
	}

	/**
	 * A person's resolution.
	 *
	 * @param note why it is resolved, at most 2,000 characters
	 * @param by who resolved it, at most 128 characters
	 */
	record ResolveRequest(String note, String by) {

		ResolveRequest validated() {
			if (this.note != null && this.note.length() > 2000) {
				throw ProblemException.badRequest("invalid-resolution", "Invalid resolution",
						"'note' is " + this.note.length() + " characters long; at most 2000 are allowed.");
			}
			if (this.by != null && this.by.length() > 128) {
				throw ProblemException.badRequest("invalid-resolution", "Invalid resolution",
						"'by' is " + this.by.length() + " characters long; at most 128 are allowed.");
			}
			return this;
		}

	}

}
