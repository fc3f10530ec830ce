package io.rebound.security;

import io.rebound.web.ProblemException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The keys API, for operators: list keys (never their secrets), create one (its secret is
 * in the answer, once), rotate one (a new secret; the old key stops working at once) and
 * revoke one. Every change is audited.
 */
@RestController
class KeyController {

	private static final Set<String> ROLES = Set.of("agent", "viewer", "operator");

	private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private final ApiKeys keys;

	private final KeyActions actions;

	KeyController(ApiKeys keys, KeyActions actions) {
		this.keys = keys;
		this.actions = actions;
	}

	/**
	 * A key to create.
	 *
	 * @param name what it is for
	 * @param owner who holds it (a person, a team, a service)
	 * @param role {@code agent}, {@code viewer} or {@code operator}
	 * @param agentIds for an agent key: the agents it may speak for (required)
	 */
	record NewKey(String name, String owner, String role, List<String> agentIds) {
	}

	/**
	 * A created or rotated key.
	 *
	 * @param key the key as listed
	 * @param secret the key itself: shown this once, never again
	 * @param controlSecrets for an agent key, the secret each of its agents checks
	 * Rebound's control calls with (the agent's existing one, or a new one)
	 */
	record Created(ApiKeys.Key key, String secret, Map<String, String> controlSecrets) {
	}

	/**
	 * A rotated control secret.
	 *
	 * @param agentId the agent
	 * @param controlSecret its new secret; the old one stops working at once
	 */
	record RotatedSecret(String agentId, String controlSecret) {
	}

	@GetMapping("/api/keys")
	List<ApiKeys.Key> list() {
		return this.keys.list();
	}

	@PostMapping("/api/keys")
	ResponseEntity<Created> create(@RequestBody NewKey request) {
		return created(this.actions.create(validated(request), Caller.current().name()));
	}

	@PostMapping("/api/keys/{id}/rotate")
	ResponseEntity<Created> rotate(@PathVariable UUID id) {
		return created(this.actions.rotate(id, Caller.current().name()));
	}

	@PostMapping("/api/agents/{id}/control-secret")
	RotatedSecret rotateControlSecret(@PathVariable String id) {
		if (!AGENT_ID.matcher(id).matches()) {
			throw ProblemException.badRequest("invalid-agent-id", "Invalid agent id",
					"'" + id + "' is not an agent id ([A-Za-z0-9._:-]{1,128}).");
		}
		return new RotatedSecret(id, this.actions.rotateControlSecret(id, Caller.current().name()));
	}

	private static ResponseEntity<Created> created(Created created) {
		return ResponseEntity.created(URI.create("/api/keys/" + created.key().id())).body(created);
	}

	@DeleteMapping("/api/keys/{id}")
	ResponseEntity<Void> revoke(@PathVariable UUID id) {
		this.actions.revoke(id, Caller.current().name());
		return ResponseEntity.noContent().build();
	}

	static ApiKeys.Key live(ApiKeys keys, UUID id) {
		ApiKeys.Key key = keys.find(id).orElseThrow(() -> ProblemException.notFound("Key", id));
		if (key.revokedAt() != null) {
			throw new ProblemException(HttpStatus.CONFLICT, "key-revoked", "Key revoked",
					"Key " + id + " was revoked at " + key.revokedAt() + ".", null);
		}
		return key;
	}

	private static NewKey validated(NewKey key) {
		List<String> errors = new ArrayList<>();
		if (key == null) {
			throw ProblemException.badRequest("invalid-key-request", "Invalid key request",
					"The body must be {\"name\", \"owner\", \"role\", \"agent_ids\"}.");
		}
		if (key.name() == null || key.name().isBlank() || key.name().length() > 128) {
			errors.add("name: 1 to 128 characters");
		}
		if (key.owner() == null || key.owner().isBlank() || key.owner().length() > 128) {
			errors.add("owner: 1 to 128 characters, naming who holds the key");
		}
		if (key.role() == null || !ROLES.contains(key.role())) {
			errors.add("role: one of " + ROLES);
		}
		List<String> agents = (key.agentIds() != null) ? key.agentIds() : List.of();
		if ("agent".equals(key.role()) && (agents.isEmpty() || agents.size() > 1000)) {
			errors.add("agent_ids: an agent key names the 1 to 1000 agents it may speak for");
		}
		if (!"agent".equals(key.role()) && !agents.isEmpty()) {
			errors.add("agent_ids: only agent keys name agents");
		}
		if (agents.stream().anyMatch((a) -> a == null || !AGENT_ID.matcher(a).matches())) {
			errors.add("agent_ids: each must match [A-Za-z0-9._:-]{1,128}");
		}
		if (!errors.isEmpty()) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-key-request", "Invalid key request",
					errors.size() + " problem(s); no key was created.", Map.of("errors", errors));
		}
		return new NewKey(key.name(), key.owner(), key.role(), agents);
	}

}
