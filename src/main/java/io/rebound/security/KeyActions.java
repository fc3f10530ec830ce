package io.rebound.security;

import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the keys API changes, each in one transaction with its audit entry: keys created,
 * rotated and revoked, and agents' control secrets issued and rotated.
 */
@Component
class KeyActions {

	private final ApiKeys keys;

	private final Audit audit;

	private final ControlSecrets controlSecrets;

	KeyActions(ApiKeys keys, Audit audit, ControlSecrets controlSecrets) {
		this.keys = keys;
		this.audit = audit;
		this.controlSecrets = controlSecrets;
	}

	/** A new key, with its secret and, for an agent key, its agents' control secrets. */
	@Transactional
	KeyController.Created create(KeyController.NewKey key, String by) {
		Map.Entry<ApiKeys.Key, String> created = this.keys.create(key.name(), key.owner(), key.role(), key.agentIds(),
				by);
		this.audit.record("key.create", created.getKey().id().toString(), Map.of("name", key.name(), "owner",
				key.owner(), "role", key.role(), "agent_ids", key.agentIds(), "prefix", created.getKey().prefix()));
		return withSecrets(created, by);
	}

	/** A new secret for a live key; the old one stops working at once. */
	@Transactional
	KeyController.Created rotate(UUID id, String by) {
		ApiKeys.Key old = KeyController.live(this.keys, id);
		Map.Entry<ApiKeys.Key, String> created = this.keys.create(old.name(), old.owner(), old.role(), old.agentIds(),
				by);
		this.keys.revoke(id, by, created.getKey().id());
		this.audit.record("key.rotate", id.toString(),
				Map.of("replaced_by", created.getKey().id().toString(), "prefix", created.getKey().prefix()));
		return withSecrets(created, by);
	}

	@Transactional
	void revoke(UUID id, String by) {
		KeyController.live(this.keys, id);
		this.keys.revoke(id, by, null);
		this.audit.record("key.revoke", id.toString(), Map.of());
	}

	/** A new control secret for the agent; the old one stops working at once. */
	@Transactional
	String rotateControlSecret(String agentId, String by) {
		String secret = this.controlSecrets.rotate(agentId, by);
		this.audit.record("agent.control-secret.rotate", agentId, Map.of());
		return secret;
	}

	private KeyController.Created withSecrets(Map.Entry<ApiKeys.Key, String> created, String by) {
		ApiKeys.Key key = created.getKey();
		Map<String, String> secrets = "agent".equals(key.role()) ? this.controlSecrets.ensure(key.agentIds(), by)
				: Map.of();
		return new KeyController.Created(key, created.getValue(), secrets);
	}

}
