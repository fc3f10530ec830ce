package io.rebound.recovery;

import java.util.List;
import java.util.Map;

import io.rebound.Http;
import tools.jackson.databind.JsonNode;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** What the recovery tests and the benchmark share. */
public final class Runs {

	private Runs() {
	}

	/** A run's attempts as {@code level:strategy:outcome}. */
	public static List<String> levels(JsonNode run) {
		return run.get("attempts")
			.valueStream()
			.map((a) -> a.get("level").asInt() + ":" + a.get("strategy").asString() + ":" + a.get("outcome").asString())
			.toList();
	}

	/** The run of the agent's newest incident, or {@code null}. */
	public static JsonNode newest(Http rebound, String agent) {
		JsonNode incidents = rebound.get("/api/incidents?root_agent=" + agent).json().get("items");
		if (incidents.isEmpty()) {
			return null;
		}
		Http.Response run = rebound.get("/api/recovery/runs?incident_id=" + incidents.get(0).get("id").asString());
		return (run.status() == 200) ? run.json() : null;
	}

	/** A started in-process KRaft broker that Rebound's transactions work with. */
	public static EmbeddedKafkaKraftBroker kafka() {
		EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 2);
		kafka.brokerProperties(
				Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
		// a broker of its own: it must not announce itself (or clear the announcement) in
		// the system property the shared context's broker uses
		kafka.brokerListProperty("rebound.test.own-broker." + System.identityHashCode(kafka));
		kafka.afterPropertiesSet();
		return kafka;
	}

}
