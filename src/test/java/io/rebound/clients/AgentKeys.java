package io.rebound.clients;

import java.util.List;
import java.util.Map;

import io.rebound.Http;
import tools.jackson.databind.JsonNode;

/**
 * An agent's credentials as an operator issues them: its API key and its control secret.
 *
 * @param key the API key the agent reports with
 * @param controlSecret the secret it checks Rebound's control calls with
 */
record AgentKeys(String key, String controlSecret) {

	static AgentKeys issue(Http operator, String agentId) {
		Http.Response created = operator.post("/api/keys",
				Http.json(Map.of("name", agentId, "owner", "tests", "role", "agent", "agent_ids", List.of(agentId))));
		if (created.status() != 201) {
			throw new IllegalStateException("no key for " + agentId + ": " + created.body());
		}
		JsonNode body = created.json();
		return new AgentKeys(body.get("secret").asString(), body.get("control_secrets").get(agentId).asString());
	}

	/**
	 * A Java client for this agent against Rebound on this port: its key, its control
	 * secret, its endpoint on the loopback, a spool under {@code target}.
	 */
	io.rebound.client.ReboundClient.Builder javaClient(int port, String agentId, java.time.Duration heartbeats) {
		return io.rebound.client.ReboundClient.builder()
			.agentId(agentId)
			.url("http://localhost:" + port)
			.key(this.key)
			.controlSecret(this.controlSecret)
			.controlHost("127.0.0.1")
			.heartbeatInterval(heartbeats)
			.spoolDir(java.nio.file.Path.of("target/java-client-spool"));
	}

	Map<String, String> env(int port, String agentId) {
		return Map.of("REBOUND_URL", "http://localhost:" + port, "REBOUND_KEY", this.key, "REBOUND_AGENT_ID", agentId,
				"REBOUND_CONTROL_SECRET", this.controlSecret, "REBOUND_CONTROL_HOST", "127.0.0.1");
	}

}
