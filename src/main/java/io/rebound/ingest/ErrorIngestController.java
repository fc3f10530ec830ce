package io.rebound.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rebound.ingest.EventContract.Invalid;
import io.rebound.ingest.EventContract.Reading;
import io.rebound.ingest.EventContract.Valid;
import io.rebound.ingest.EventPublisher.Accepted;
import io.rebound.security.Caller;
import io.rebound.web.ProblemException;
import io.rebound.web.ProblemLocation;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/errors}: one event or an array of them, validated whole before any is
 * published; answered {@code 202} once the broker holds them all.
 */
@RestController
class ErrorIngestController {

	private final EventContract contract;

	private final EventPublisher publisher;

	private final JsonMapper json;

	private final IngestProperties properties;

	ErrorIngestController(EventContract contract, EventPublisher publisher, JsonMapper json,
			IngestProperties properties) {
		this.contract = contract;
		this.publisher = publisher;
		this.json = json;
		this.properties = properties;
	}

	/**
	 * The answer to an accepted request.
	 *
	 * @param accepted one entry per event, in request order
	 */
	record AcceptedEvents(List<Accepted> accepted) {
	}

	@PostMapping(path = "/api/errors", consumes = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED)
	AcceptedEvents publish(HttpServletRequest request) throws IOException {
		JsonNode body = parse(readBody(request));
		boolean batch = body.isArray();
		List<JsonNode> items = new ArrayList<>();
		if (batch) {
			body.forEach(items::add);
			if (items.isEmpty()) {
				throw ProblemException.badRequest("empty-batch", "Empty batch", "The array holds no events.");
			}
			if (items.size() > this.properties.maxEventsPerRequest()) {
				throw ProblemException.tooLarge("too-many-events", "Too many events",
						"The array holds " + items.size() + " events; at most " + this.properties.maxEventsPerRequest()
								+ " are taken per request. Split it.");
			}
		}
		else {
			items.add(body);
		}
		Instant now = Instant.now();
		List<Valid> valid = new ArrayList<>(items.size());
		List<Map<String, Object>> problems = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			Reading reading = this.contract.read(items.get(i), EventIds::next, now);
			if (reading instanceof Valid ok) {
				valid.add(ok);
			}
			else {
				for (Violation violation : ((Invalid) reading).violations()) {
					Map<String, Object> problem = new LinkedHashMap<>();
					if (batch) {
						problem.put("index", i);
					}
					problem.put("field", violation.field());
					problem.put("reason", violation.reason());
					problems.add(problem);
				}
			}
		}
		if (!problems.isEmpty()) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-event", "Invalid event",
					problems.size() + " problem(s) in the request; nothing was published. "
							+ "The event contract is served at /api/schemas/error-event-v1.json.",
					Map.of("errors", problems));
		}
		forbidForeignSources(valid, batch);
		return new AcceptedEvents(this.publisher.publish(valid));
	}

	/** An agent's key publishes only for the agents it was issued for. */
	private static void forbidForeignSources(List<Valid> valid, boolean batch) {
		Caller caller = Caller.current();
		List<Map<String, Object>> foreign = new ArrayList<>();
		for (int i = 0; i < valid.size(); i++) {
			String source = valid.get(i).event().source();
			if (!caller.mayActAs(source)) {
				Map<String, Object> problem = new LinkedHashMap<>();
				if (batch) {
					problem.put("index", i);
				}
				problem.put("field", "source");
				problem.put("reason", "this key may not publish for '" + source + "'");
				foreign.add(problem);
			}
		}
		if (!foreign.isEmpty()) {
			throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden-source", "Forbidden source",
					foreign.size() + " event(s) name an agent this key was not issued for; nothing was published.",
					Map.of("errors", foreign));
		}
	}

	private byte[] readBody(HttpServletRequest request) throws IOException {
		long limit = this.properties.maxRequestSize().toBytes();
		if (request.getContentLengthLong() > limit) {
			throw tooLarge(limit);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
			if (body.length > limit) {
				throw tooLarge(limit);
			}
			return body;
		}
	}

	private JsonNode parse(byte[] body) {
		try {
			JsonNode node = this.json.readTree(body);
			if (node == null || node.isMissingNode()) {
				throw ProblemException.badRequest("malformed-json", "Malformed request body",
						"The body is empty; send one event object or an array of them.");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw ProblemException.badRequest("malformed-json", "Malformed request body",
					"The body is not valid JSON" + ProblemLocation.of(ex) + ": " + ex.getOriginalMessage());
		}
	}

	private static ProblemException tooLarge(long limit) {
		return ProblemException.tooLarge("body-too-large", "Request body too large", "The body is larger than " + limit
				+ " bytes (rebound.ingest.max-request-size). Send fewer events per request.");
	}

}
