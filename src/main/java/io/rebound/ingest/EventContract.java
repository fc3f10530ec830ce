package io.rebound.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.networknt.schema.Error;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.rebound.errors.Category;
import io.rebound.errors.CategoryInference;
import io.rebound.errors.Classification;
import io.rebound.errors.Classifier;
import io.rebound.errors.ErrorEvent;
import io.rebound.errors.Fingerprint;
import io.rebound.errors.Fingerprinter;
import io.rebound.errors.Severity;
import io.rebound.web.ProblemLocation;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The event contract v1: the JSON Schema that Rebound serves, plus what a schema cannot
 * say (sizes in bytes, a parseable timestamp, defaults). Both REST and Kafka read events
 * through here, so an event is valid on one transport exactly when it is on the other.
 */
@Component
class EventContract {

	static final String SCHEMA = "schemas/error-event-v1.json";

	static final int MAX_MESSAGE_BYTES = 8 * 1024;

	static final int MAX_CONTEXT_BYTES = 64 * 1024;

	/** The outcome of reading one event. */
	sealed interface Reading {

	}

	/**
	 * A valid event.
	 *
	 * @param event the event, defaults filled in
	 * @param sent the JSON as sent
	 */
	record Valid(ErrorEvent event, ObjectNode sent, long ageMs) implements Reading {

		/**
		 * The JSON to publish: as sent, with {@code event_id} and {@code timestamp}
		 * filled in.
		 */
		ObjectNode payload() {
			ObjectNode payload = this.sent.deepCopy();
			payload.put("event_id", this.event.eventId().toString());
			payload.put("timestamp", this.event.occurredAt().toString());
			return payload;
		}

	}

	/**
	 * An event that breaks the contract.
	 *
	 * @param reason unreadable, or readable but breaking the contract
	 * @param violations every field at fault
	 */
	record Invalid(DeadLetterReason reason, List<Violation> violations) implements Reading {

		static Invalid of(DeadLetterReason reason, String field, String detail) {
			return new Invalid(reason, List.of(new Violation(field, detail)));
		}

		String summary() {
			return String.join("; ", this.violations.stream().map((v) -> v.field() + ": " + v.reason()).toList());
		}

	}

	private final JsonMapper json;

	private final Schema schema;

	private final Classifier classifier;

	@Autowired
	EventContract(JsonMapper json, ObjectProvider<Classifier> classifier) {
		this(json, classifier.getIfAvailable(() -> Classifier.NONE));
	}

	EventContract(JsonMapper json) {
		this(json, Classifier.NONE);
	}

	EventContract(JsonMapper json, Classifier classifier) {
		this.json = json;
		this.classifier = classifier;
		try (InputStream in = new ClassPathResource(SCHEMA).getInputStream()) {
			this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
				.getSchema(this.json.readTree(in));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The event schema ships with Rebound", ex);
		}
	}

	/**
	 * The fields of an event that meets the contract, before it is fingerprinted and
	 * classified (the ingest path times those stages apart).
	 *
	 * @param eventId as sent, or the default
	 * @param source the reporting agent
	 * @param type the agent's error type (U+0000 stored as U+FFFD, as in {@code message})
	 * @param severity how bad it is
	 * @param given the category the agent gave, or {@code null}
	 * @param message what the agent said
	 * @param occurredAt when it happened, or the default
	 * @param contextJson the context as JSON text, never {@code null}
	 * @param context the context as a tree, built only when a rule asks for it
	 * @param sent the JSON as sent, when it was read as a tree ({@code null} on the fast
	 * path)
	 * @param ageMs how old the agent says it was when sent ({@code age_ms}), 0 when it
	 * does not say
	 */
	record Checked(UUID eventId, String source, String type, Severity severity, Category given, String message,
			Instant occurredAt, String contextJson, Supplier<JsonNode> context, ObjectNode sent,
			long ageMs) implements Reading {

	}

	/**
	 * Reads one event.
	 * @param node the event as sent
	 * @param defaultId gives the event id when it has none
	 * @param defaultTime the time it happened when it does not say
	 * @return the valid event or every violation
	 */
	Reading read(JsonNode node, Supplier<UUID> defaultId, Instant defaultTime) {
		return finish(check(node, defaultId, defaultTime));
	}

	/** Reads one event from raw bytes, as a Kafka record carries it. */
	Reading read(byte[] value, Supplier<UUID> defaultId, Instant defaultTime) {
		return finish(check(parse(value), defaultId, defaultTime));
	}

	private Reading finish(Reading reading) {
		return (reading instanceof Checked checked) ? classify(checked, fingerprint(checked)) : reading;
	}

	/**
	 * The first stage on the Kafka path: the record's fields in one streaming pass
	 * ({@link WireEvent}), or, for anything unusual, its tree.
	 * @return a {@link WireEvent}, a {@link JsonNode} or an {@link Invalid}
	 */
	Object parse(byte[] value) {
		WireEvent wire = WireEvent.parse(this.json, value);
		return (wire != null) ? wire : tree(value);
	}

	private Object tree(byte[] value) {
		JsonNode node;
		try {
			node = this.json.readTree(value);
		}
		catch (JacksonException ex) {
			return Invalid.of(DeadLetterReason.UNREADABLE, "$",
					"is not valid JSON" + ProblemLocation.of(ex) + ": " + ex.getOriginalMessage());
		}
		if (node == null || node.isMissingNode()) {
			return Invalid.of(DeadLetterReason.UNREADABLE, "$", "is empty");
		}
		return node;
	}

	/**
	 * The second stage: checks what {@link #parse} read against the contract.
	 * @param parsed what {@link #parse} returned
	 * @param defaultId gives the event id when it has none
	 * @param defaultTime the time it happened when it does not say
	 * @return a {@link Checked} event or every violation
	 */
	Reading check(Object parsed, Supplier<UUID> defaultId, Instant defaultTime) {
		if (parsed instanceof WireEvent wire) {
			Checked fast = wire.check(this.json, defaultId, defaultTime);
			// anything the fast checks are unsure of, the schema decides and explains
			return (fast != null) ? fast : check(tree(wire.bytes()), defaultId, defaultTime);
		}
		if (parsed instanceof JsonNode node) {
			return check(node, defaultId, defaultTime);
		}
		return (Invalid) parsed;
	}

	private Reading check(JsonNode node, Supplier<UUID> defaultId, Instant defaultTime) {
		if (!(node instanceof ObjectNode event)) {
			return Invalid.of(DeadLetterReason.CONTRACT, "$",
					"must be a JSON object, not " + node.getNodeType().name().toLowerCase());
		}
		// the boolean check is the cheap one (fail fast, nothing collected); only an
		// invalid event pays for the full list of what is wrong with it
		if (!this.schema.validate(event, OutputFormat.BOOLEAN)) {
			List<Error> errors = this.schema.validate(event);
			return new Invalid(DeadLetterReason.CONTRACT, errors.stream().map(EventContract::violation).toList());
		}
		List<Violation> violations = new ArrayList<>();
		String message = event.get("message").asString();
		if (message.length() * 3 > MAX_MESSAGE_BYTES
				&& message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
			violations.add(new Violation("message", "is longer than 8 KiB (8,192 bytes of UTF-8)"));
		}
		JsonNode contextNode = event.get("context");
		String context = contextJson(contextNode);
		if (context.length() > MAX_CONTEXT_BYTES / 3
				&& context.getBytes(StandardCharsets.UTF_8).length > MAX_CONTEXT_BYTES) {
			violations.add(new Violation("context", "is larger than 64 KiB (65,536 bytes of JSON)"));
		}
		Instant occurredAt = defaultTime;
		if (event.hasNonNull("timestamp")) {
			occurredAt = EventTimestamps.parse(event.get("timestamp").asString(), violations);
		}
		if (!violations.isEmpty()) {
			return new Invalid(DeadLetterReason.CONTRACT, violations);
		}
		UUID eventId = event.hasNonNull("event_id") ? UUID.fromString(event.get("event_id").asString())
				: defaultId.get();
		Category given = event.hasNonNull("category") ? Category.fromWire(event.get("category").asString()) : null;
		return new Checked(eventId, event.get("source").asString(), withoutNul(event.get("type").asString()),
				Severity.fromWire(event.get("severity").asString()), given, withoutNul(message), occurredAt, context,
				() -> contextNode, event, event.hasNonNull("age_ms") ? event.get("age_ms").asLong() : 0);
	}

	/** The third stage: the event's default fingerprint (its message normalized). */
	Fingerprint fingerprint(Checked checked) {
		return Fingerprinter.of(checked.source(), checked.type(), checked.message());
	}

	/** The fourth stage: category and the correlation rules' verdict. */
	Valid classify(Checked checked, Fingerprint fingerprint) {
		String source = checked.source();
		String type = checked.type();
		String message = checked.message();
		Category given = checked.given();
		Category category = (given != null) ? given : CategoryInference.infer(fingerprint);
		Classification classification = this.classifier
			.classify(new Classifier.Fields(source, type, checked.severity(), category, message, checked.context()));
		if (classification.fingerprint() != null) {
			fingerprint = Fingerprinter.byRule(fingerprint, classification);
		}
		if (given == null && classification.category() != null) {
			// a rule knows better than word counting, but never better than the agent
			category = classification.category();
		}
		ErrorEvent valid = new ErrorEvent(checked.eventId(), source, type, checked.severity(), category, message,
				checked.occurredAt(), checked.contextJson(), fingerprint, classification);
		return new Valid(valid, checked.sent(), checked.ageMs());
	}

	private String contextJson(JsonNode context) {
		if (context == null || context.isNull()) {
			return "{}";
		}
		String text = this.json.writeValueAsString(context);
		// PostgreSQL's text and jsonb cannot hold U+0000; keep the event, mark the
		// character
		return text.contains("\\u0000") ? text.replace("\\u0000", "\\ufffd") : text;
	}

	static String withoutNul(String text) {
		return (text.indexOf('\0') >= 0) ? text.replace('\0', '\uFFFD') : text;
	}

	private static Violation violation(Error error) {
		String pointer = error.getInstanceLocation().toString();
		String field = (pointer.isEmpty() || pointer.equals("$")) ? "$" : pointer.substring(1).replace('/', '.');
		if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
			return new Violation(error.getProperty(), "is required");
		}
		return new Violation(field, error.getMessage());
	}

}
