package io.rebound.agents;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rebound.agents.AgentQueries.AgentFilter;
import io.rebound.agents.AgentViews.AgentDetails;
import io.rebound.agents.AgentViews.AgentView;
import io.rebound.security.Caller;
import io.rebound.web.Page;
import io.rebound.errors.OpenErrors;
import io.rebound.ingest.EventBus;
import io.rebound.web.ProblemException;
import io.rebound.web.QueryParameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agents API: register, list, read one with its health history and open errors, and
 * send a heartbeat.
 */
@RestController
@RequestMapping("/api/agents")
class AgentController {

	private static final Set<String> LIST_PARAMETERS = Set.of("state", "kind", "criticality", "label", "limit",
			"cursor");

	private final AgentRegistry registry;

	private final AgentQueries queries;

	private final OpenErrors openErrors;

	private final EventBus bus;

	private final JsonMapper json;

	AgentController(AgentRegistry registry, AgentQueries queries, OpenErrors openErrors, EventBus bus,
			JsonMapper json) {
		this.registry = registry;
		this.queries = queries;
		this.openErrors = openErrors;
		this.bus = bus;
		this.json = json;
	}

	@PostMapping
	AgentView register(@RequestBody JsonNode body) {
		AgentRegistration registration = strict(body);
		requireMayActAs(registration.id());
		this.registry.registerAudited(registration);
		return this.queries.get(registration.id()).orElseThrow();
	}

	/**
	 * Reads a registration strictly: a number where a text belongs, or a key Rebound does
	 * not know, is a 400, not a guess.
	 */
	private static AgentRegistration strict(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ProblemException.badRequest("invalid-agent", "Invalid agent", "The body must be a JSON object.");
		}
		try {
			return STRICT.treeToValue(body, AgentRegistration.class);
		}
		catch (tools.jackson.core.JacksonException ex) {
			throw ProblemException.badRequest("invalid-agent", "Invalid agent",
					"The registration cannot be read: " + ex.getOriginalMessage());
		}
	}

	/** Heartbeats are small; a big one is a mistake or an attack, not a heartbeat. */
	static final int MAX_HEARTBEAT_BYTES = 64 * 1024;

	private static final JsonMapper STRICT = JsonMapper.builder()
		.propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
		.enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.withCoercionConfigDefaults((c) -> c.setAcceptBlankAsEmpty(false)
			.setCoercion(tools.jackson.databind.cfg.CoercionInputShape.Integer,
					tools.jackson.databind.cfg.CoercionAction.Fail)
			.setCoercion(tools.jackson.databind.cfg.CoercionInputShape.Float,
					tools.jackson.databind.cfg.CoercionAction.Fail)
			.setCoercion(tools.jackson.databind.cfg.CoercionInputShape.Boolean,
					tools.jackson.databind.cfg.CoercionAction.Fail))
		.build();

	/** An agent's key acts only for the agents it was issued for. */
	private static void requireMayActAs(String agentId) {
		if (agentId != null && !Caller.current().mayActAs(agentId)) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden-agent", "Forbidden agent",
					"This key was not issued for agent '" + agentId + "'.", null);
		}
	}

	@GetMapping
	Page<AgentView> list(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, LIST_PARAMETERS);
		HealthState state = query.choice("state", HealthState::fromWire,
				List.of("unknown", "healthy", "degraded", "critical", "failed", "stopped"));
		String criticality = query.choice("criticality",
				(value) -> AgentRegistration.CRITICALITIES.contains(value) ? value : null,
				List.copyOf(AgentRegistration.CRITICALITIES));
		String label = query.text("label");
		String labelKey = (label != null) ? label.split(":", 2)[0] : null;
		String labelValue = (label != null && label.contains(":")) ? label.split(":", 2)[1] : null;
		return this.queries.list(new AgentFilter(state, query.text("kind"), criticality, labelKey, labelValue),
				query.cursor(), query.limit());
	}

	@GetMapping("/{id}")
	AgentDetails get(@PathVariable String id) {
		AgentView agent = this.queries.get(id).orElseThrow(() -> ProblemException.notFound("Agent", id));
		return new AgentDetails(agent, this.queries.history(id, 20), this.openErrors.of(id, 20),
				this.queries.predictions(id, 10));
	}

	@PostMapping("/{id}/heartbeat")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void heartbeat(@PathVariable String id, @RequestBody(required = false) JsonNode body) {
		requireMayActAs(id);
		if (body != null && !body.isObject()) {
			throw ProblemException.badRequest("invalid-heartbeat", "Invalid heartbeat",
					"A heartbeat is a JSON object (or no body at all), not " + body.getNodeType().name().toLowerCase()
							+ ".");
		}
		JsonNode heartbeat = (body != null) ? body : this.json.createObjectNode();
		try {
			Heartbeats.of(id, heartbeat, java.time.Instant.now());
		}
		catch (IllegalArgumentException ex) {
			throw ProblemException.badRequest("invalid-heartbeat", "Invalid heartbeat", ex.getMessage());
		}
		byte[] record = this.json.writeValueAsBytes(heartbeat);
		if (record.length > MAX_HEARTBEAT_BYTES) {
			throw ProblemException.tooLarge("heartbeat-too-large", "Heartbeat too large",
					"The heartbeat is " + record.length + " bytes; at most " + MAX_HEARTBEAT_BYTES + " are taken.");
		}
		this.bus.publishHeartbeat(id, record);
	}

}
