package io.rebound.correlation;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.rebound.security.Audit;
import io.rebound.security.Caller;
import io.rebound.web.ProblemException;
import io.rebound.web.ProblemLocation;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rules API: list, read, create, replace and delete correlation rules. A rule is
 * checked whole before it is stored (a regex that does not compile is a 400 naming it),
 * and takes effect on this instance at once and on the others within the refresh
 * interval. Built-in and file rules are not deleted but disabled, and an API change to
 * one of them survives restarts.
 */
@RestController
@RequestMapping("/api/correlation/rules")
class RuleController {

	private final RuleRepository repository;

	private final RuleClassifier classifier;

	private final Audit audit;

	RuleController(RuleRepository repository, RuleClassifier classifier, Audit audit) {
		this.audit = audit;
		this.repository = repository;
		this.classifier = classifier;
	}

	/**
	 * A rule with where it came from.
	 *
	 * @param rule the rule
	 * @param origin {@code builtin}, {@code file} or {@code api}
	 * @param updatedBy who changed it last
	 * @param updatedAt when
	 */
	record RuleView(@JsonUnwrapped Rule rule, String origin, String updatedBy, Instant updatedAt) {

		static RuleView of(RuleRepository.StoredRule stored) {
			return new RuleView(stored.rule(), stored.origin(), stored.updatedBy(), stored.updatedAt());
		}

	}

	/**
	 * All rules.
	 *
	 * @param items every rule, enabled or not, by id
	 * @param version the rule set's version
	 */
	record RuleList(List<RuleView> items, long version) {
	}

	@GetMapping
	RuleList list() {
		return new RuleList(this.repository.all().stream().map(RuleView::of).toList(), this.repository.version());
	}

	@GetMapping("/{id}")
	RuleView get(@PathVariable String id) {
		return this.repository.find(id).map(RuleView::of).orElseThrow(() -> ProblemException.notFound("Rule", id));
	}

	@PostMapping
	ResponseEntity<RuleView> create(@RequestBody JsonNode body) {
		Rule rule = read(body);
		if (rule.id() != null && this.repository.find(rule.id()).isPresent()) {
			throw new ProblemException(HttpStatus.CONFLICT, "rule-exists", "Rule exists", "A rule '" + rule.id()
					+ "' exists already; PUT /api/correlation/rules/" + rule.id() + " replaces it.", null);
		}
		return store(rule);
	}

	@PutMapping("/{id}")
	ResponseEntity<RuleView> replace(@PathVariable String id, @RequestBody JsonNode body) {
		Rule rule = read(body);
		if (rule.id() != null && !rule.id().equals(id)) {
			throw ProblemException.badRequest("invalid-rule", "Invalid correlation rule",
					"The body's id '" + rule.id() + "' differs from the path's '" + id + "'.");
		}
		return store(rule.withId(id));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		RuleRepository.StoredRule stored = this.repository.find(id)
			.orElseThrow(() -> ProblemException.notFound("Rule", id));
		if (stored.origin().equals("api")) {
			this.repository.delete(id);
		}
		else {
			// shipped and file rules would come back at the next start: disable instead
			this.repository.save(stored.rule().withEnabled(false), "api", Caller.current().name());
		}
		this.audit.record("rule.delete", id, Map.of("origin", stored.origin()));
		this.classifier.reload();
		return ResponseEntity.noContent().build();
	}

	private ResponseEntity<RuleView> store(Rule rule) {
		this.classifier.compiler().compile(rule);
		boolean created = this.repository.save(rule, "api", Caller.current().name());
		this.audit.record(created ? "rule.create" : "rule.replace", rule.id(),
				Map.of("definition", RuleRepository.JSON.valueToTree(rule)));
		this.classifier.reload();
		RuleView view = get(rule.id());
		return created ? ResponseEntity.created(URI.create("/api/correlation/rules/" + rule.id())).body(view)
				: ResponseEntity.ok(view);
	}

	private static Rule read(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ProblemException.badRequest("invalid-rule", "Invalid correlation rule", "The body must be a rule "
					+ "object with id, match, cause and optionally confidence, category, error_class, recovery, "
					+ "fingerprint, incident, priority, description and enabled.");
		}
		try {
			return RuleRepository.JSON.treeToValue(body, Rule.class);
		}
		catch (JacksonException ex) {
			throw ProblemException.badRequest("invalid-rule", "Invalid correlation rule",
					"The rule cannot be read" + ProblemLocation.of(ex) + ": " + ex.getOriginalMessage());
		}
	}

}
