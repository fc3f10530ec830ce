package io.rebound.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.rebound.errors.ErrorEvent;
import io.rebound.ingest.EventContract.Invalid;
import io.rebound.ingest.EventContract.Reading;
import io.rebound.ingest.EventContract.Valid;
import io.rebound.web.ProblemException;
import tools.jackson.databind.JsonNode;

import org.springframework.modulith.NamedInterface;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Reads one event against the contract without publishing it, for features that answer
 * questions about an event (correlation's explain): exactly what ingest would make of it,
 * or the same 400 problem ingest would answer.
 */
@Component
@NamedInterface("bus")
public class EventReader {

	private final EventContract contract;

	EventReader(EventContract contract) {
		this.contract = contract;
	}

	public ErrorEvent read(JsonNode event) {
		Reading reading = this.contract.read(event, EventIds::next, Instant.now());
		if (reading instanceof Valid valid) {
			return valid.event();
		}
		List<Map<String, String>> problems = ((Invalid) reading).violations()
			.stream()
			.map((v) -> Map.of("field", v.field(), "reason", v.reason()))
			.toList();
		throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-event", "Invalid event",
				problems.size() + " problem(s) in the event. "
						+ "The event contract is served at /api/schemas/error-event-v1.json.",
				Map.of("errors", problems));
	}

}
