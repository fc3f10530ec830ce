package io.rebound.agents;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an agent says about itself when it registers ({@code POST /api/agents} or the YAML
 * registry). Absent fields take their defaults.
 *
 * @param id the agent id, as in its events' {@code source}
 * @param kind what sort of agent it is (default {@code agent})
 * @param dependsOn ids of the agents it depends on
 * @param controlUrl where recovery actions are sent
 * @param healthUrl where its liveness is probed
 * @param criticality {@code essential}, {@code critical}, {@code important} (default),
 * {@code optional}
 * @param policy the recovery policy tier (default {@code default})
 * @param version its version
 * @param labels free labels ({@code group}: the agents restarted together at level 5;
 * {@code backup}: the agent a failover hands its work to)
 * @param verbs the control verbs it handles beyond {@code retry}, {@code reload},
 * {@code restart} and {@code scale} (for example {@code circuit-break}, {@code fallback},
 * {@code take-over})
 */
record AgentRegistration(String id, String kind, List<String> dependsOn, String controlUrl, String healthUrl,
		String criticality, String policy, String version, Map<String, String> labels, List<String> verbs) {

	private static final java.util.regex.Pattern VERB = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,31}");

	static final Set<String> CRITICALITIES = Set.of("essential", "critical", "important", "optional");

	AgentRegistration withDefaults() {
		return new AgentRegistration(this.id, (this.kind != null) ? this.kind : "agent",
				(this.dependsOn != null) ? List.copyOf(this.dependsOn) : List.of(), this.controlUrl, this.healthUrl,
				(this.criticality != null) ? this.criticality : "important",
				(this.policy != null) ? this.policy : "default", this.version,
				(this.labels != null) ? Map.copyOf(this.labels) : Map.of(),
				(this.verbs != null) ? List.copyOf(this.verbs) : List.of());
	}

	/** Every problem with this registration, field by field; empty when there is none. */
	List<String> problems(Set<String> policies, EndpointAllowlist endpoints) {
		List<String> problems = new ArrayList<>();
		if (this.id == null || !HeartbeatListener.AGENT_ID.matcher(this.id).matches()) {
			problems.add("id: '" + this.id + "' is not an agent id ([A-Za-z0-9._:-]{1,128})");
		}
		if (this.kind.isBlank() || this.kind.length() > 64) {
			problems.add("kind: must be 1 to 64 characters");
		}
		if (!CRITICALITIES.contains(this.criticality)) {
			problems.add("criticality: '" + this.criticality + "' is not one of " + CRITICALITIES);
		}
		if (!policies.contains(this.policy)) {
			problems.add("policy: no policy is named '" + this.policy + "'; known policies: " + policies);
		}
		url("control_url", this.controlUrl, endpoints, problems);
		url("health_url", this.healthUrl, endpoints, problems);
		for (String dependency : this.dependsOn) {
			if (dependency == null || !HeartbeatListener.AGENT_ID.matcher(dependency).matches()) {
				problems.add("depends_on: '" + dependency + "' is not an agent id");
			}
			else if (dependency.equals(this.id)) {
				problems.add("depends_on: an agent cannot depend on itself");
			}
		}
		if (this.version != null && this.version.length() > 64) {
			problems.add("version: at most 64 characters");
		}
		if (this.labels.size() > 50) {
			problems.add("labels: at most 50");
		}
		if (this.verbs.size() > 32) {
			problems.add("verbs: at most 32");
		}
		for (String verb : this.verbs) {
			if (verb == null || !VERB.matcher(verb).matches()) {
				problems.add("verbs: '" + verb + "' is not a verb ([a-z][a-z0-9-]{0,31})");
			}
		}
		return problems;
	}

	private static void url(String field, String value, EndpointAllowlist endpoints, List<String> problems) {
		if (value == null) {
			return;
		}
		try {
			URI uri = URI.create(value);
			if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
				problems.add(field + ": must be an http or https URL with a host, not '" + value + "'");
			}
			else {
				endpoints.refusal(value).ifPresent((why) -> problems.add(field + ": " + why));
			}
		}
		catch (IllegalArgumentException ex) {
			problems.add(field + ": '" + value + "' is not a URL");
		}
	}

}
