package io.rebound.correlation;

import java.util.List;
import java.util.UUID;

import io.rebound.errors.Classification;
import io.rebound.errors.ErrorEvent;
import io.rebound.errors.Fingerprint;
import io.rebound.ingest.EventReader;
import tools.jackson.databind.JsonNode;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/correlation/explain}: which rule, fingerprint, error and incident an
 * event would join, and why, without storing anything. The answer comes from the same
 * code that ingest and the correlator run, over the current state.
 */
@RestController
class ExplainController {

	private final EventReader reader;

	private final Explainer explainer;

	ExplainController(EventReader reader, Explainer explainer) {
		this.reader = reader;
		this.explainer = explainer;
	}

	/**
	 * The explanation.
	 *
	 * @param rule the rule's verdict, or {@code null} when no rule matched
	 * @param fingerprint how the event groups
	 * @param error the error it would count toward
	 * @param incident where that error would go
	 */
	record Explanation(Classification rule, Fingerprint fingerprint, ErrorRef error, IncidentRef incident) {
	}

	/**
	 * @param id the error's id
	 * @param exists whether it exists already
	 * @param status its status after this event
	 */
	record ErrorRef(UUID id, boolean exists, String status) {
	}

	/**
	 * @param decision {@code join}, {@code open} or {@code none}
	 * @param incidentId the incident joined, or {@code null}
	 * @param kind the incident's kind (joined or to open), or {@code null}
	 * @param key what it correlates on, or {@code null}
	 * @param role the error's role in it, or {@code null}
	 * @param rootAgent the root agent, or {@code null}
	 * @param path for a symptom, from its agent to the root
	 * @param why the reason, with the window figures
	 */
	record IncidentRef(String decision, UUID incidentId, String kind, String key, String role, String rootAgent,
			List<String> path, String why) {
	}

	@PostMapping("/api/correlation/explain")
	Explanation explain(@RequestBody JsonNode body) {
		ErrorEvent event = this.reader.read(body);
		return this.explainer.explain(event);
	}

}
