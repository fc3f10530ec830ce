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
import org.springframework.transaction.annotation.Transactional;
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

	private final Audit audit;

	private final ControlSecrets controlSecrets;

	KeyController(ApiKeys keys, Audit audit, ControlSecrets controlSecrets) {
		this.keys = keys;
		this.audit = audit;
		this.controlSecrets = controlSecrets;
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
	@Transactional
	ResponseEntity<Created> create(@RequestBody NewKey request) {
		NewKey key = validated(request);
		Map.Entry<ApiKeys.Key, String> created = this.keys.create(key.name(), key.owner(), key.role(), key.agentIds(),
				Caller.current().name());
		this.audit.record("key.create", created.getKey().id().toString(), Map.of("name", key.name(), "owner",
				key.owner(), "role", key.role(), "agent_ids", key.agentIds(), "prefix", created.getKey().prefix()));
		return created(created);
	}

	@PostMapping("/api/keys/{id}/rotate")
	@Transactional
	ResponseEntity<Created> rotate(@PathVariable UUID id) {
		ApiKeys.Key old = live(id);
		Map.Entry<ApiKeys.Key, String> created = this.keys.create(old.name(), old.owner(), old.role(), old.agentIds(),
				Caller.current().name());
		this.keys.revoke(id, Caller.current().name(), created.getKey().id());
		this.audit.record("key.rotate", id.toString(),
				Map.of("replaced_by", created.getKey().id().toString(), "prefix", created.getKey().prefix()));
		return created(created);
	}

	@PostMapping("/api/agents/{id}/control-secret")
	@Transactional
	RotatedSecret rotateControlSecret(@PathVariable String id) {
		if (!AGENT_ID.matcher(id).matches()) {
			throw ProblemException.badRequest("invalid-agent-id", "Invalid agent id",
					"'" + id + "' is not an agent id ([A-Za-z0-9._:-]{1,128}).");
		}
		String secret = this.controlSecrets.rotate(id, Caller.current().name());
		this.audit.record("agent.control-secret.rotate", id, Map.of());
		return new RotatedSecret(id, secret);
	}

	private ResponseEntity<Created> created(Map.Entry<ApiKeys.Key, String> created) {
		ApiKeys.Key key = created.getKey();
		Map<String, String> secrets = "agent".equals(key.role())
				? this.controlSecrets.ensure(key.agentIds(), Caller.current().name()) : Map.of();
		return ResponseEntity.created(URI.create("/api/keys/" + key.id()))
			.body(new Created(key, created.getValue(), secrets));
	}

	@DeleteMapping("/api/keys/{id}")
	@Transactional
	ResponseEntity<Void> revoke(@PathVariable UUID id) {
		live(id);
		this.keys.revoke(id, Caller.current().name(), null);
		this.audit.record("key.revoke", id.toString(), Map.of());
		return ResponseEntity.noContent().build();
	}

	private ApiKeys.Key live(UUID id) {
		ApiKeys.Key key = this.keys.find(id).orElseThrow(() -> ProblemException.notFound("Key", id));
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
