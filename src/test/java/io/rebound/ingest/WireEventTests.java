package io.rebound.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.errors.ErrorEvent;
import io.rebound.ingest.EventContract.Checked;
import io.rebound.ingest.EventContract.Invalid;
import io.rebound.ingest.EventContract.Reading;
import io.rebound.ingest.EventContract.Valid;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka path's one-pass reader ({@link WireEvent}) against the general path (the tree
 * and the JSON Schema): on every variant of an event below, both must reach the same
 * verdict and, for a valid event, the same event.
 */
class WireEventTests {

	private static final UUID DEFAULT_ID = UUID.fromString("00000000-0000-4000-8000-000000000001");

	private static final Instant RECEIVED = Instant.parse("2026-11-22T10:00:00Z");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EventContract contract = new EventContract(JSON);

	private static final String BASE = """
			{"event_id":"6f1c1f8e-2f59-4c1b-9a8e-6b0b7d3f9a11","source":"agent-007","type":"timeout",\
			"severity":"high","message":"Request 42 timed out after 3000 ms","timestamp":"2026-11-22T14:03:07.123456",\
			"context":{"host":"node-1","attempt":2,"ratio":0.25,"tags":["a","b"],"nested":{"ok":true,"none":null}}}""";

	@Test
	void takesTheFastPathForTheUsualShape() {
		Reading reading = this.contract.check(this.contract.parse(bytes(BASE)), () -> DEFAULT_ID, RECEIVED);

		assertThat(reading).isInstanceOfSatisfying(Checked.class, (checked) -> {
			// only the general path keeps the tree as sent
			assertThat(checked.sent()).isNull();
			assertThat(checked.contextJson()).isEqualTo(
					"{\"host\":\"node-1\",\"attempt\":2,\"ratio\":0.25,\"tags\":[\"a\",\"b\"],\"nested\":{\"ok\":true,\"none\":null}}");
			assertThat(checked.context().get().get("attempt").asInt()).isEqualTo(2);
		});
	}

	@Test
	void keepsTheContextAsTheAgentSentIt() {
		String pretty = BASE.replace("\"context\":{\"host\":\"node-1\",", "\"context\": {\"host\": \"node-1\", ");

		ErrorEvent event = ((Valid) this.contract.read(bytes(pretty), () -> DEFAULT_ID, RECEIVED)).event();

		assertThat(event.contextJson()).startsWith("{\"host\": \"node-1\", \"attempt\"");
	}

	@Test
	void agreesWithTheSchemaOnEveryVariant() {
		Map<String, String> variants = variants();
		int fast = 0;
		for (Map.Entry<String, String> variant : variants.entrySet()) {
			byte[] bytes = bytes(variant.getValue());
			Reading general = general(bytes);
			Reading read = this.contract.read(bytes, () -> DEFAULT_ID, RECEIVED);
			String name = variant.getKey();
			if (general instanceof Valid expected) {
				assertThat(read).as(name).isInstanceOf(Valid.class);
				sameEvent(name, ((Valid) read).event(), expected.event());
				assertThat(((Valid) read).ageMs()).as(name).isEqualTo(expected.ageMs());
			}
			else {
				assertThat(read).as(name).isInstanceOf(Invalid.class);
				assertThat(((Invalid) read).reason()).as(name).isEqualTo(((Invalid) general).reason());
				if (((Invalid) general).reason() == DeadLetterReason.CONTRACT) {
					assertThat(((Invalid) read).violations()).as(name)
						.containsExactlyInAnyOrderElementsOf(((Invalid) general).violations());
				}
			}
			if (WireEvent.parse(JSON, bytes) != null) {
				fast++;
			}
		}
		// the comparison means something only if both paths were taken often
		assertThat(variants).hasSizeGreaterThan(150);
		assertThat(fast).isBetween(40, variants.size() - 40);
	}

	/** The general path alone: the tree, then the schema and the contract's checks. */
	private Reading general(byte[] bytes) {
		JsonNode node;
		try {
			node = JSON.readTree(bytes);
		}
		catch (JacksonException ex) {
			return Invalid.of(DeadLetterReason.UNREADABLE, "$", "unreadable");
		}
		if (node == null || node.isMissingNode()) {
			return Invalid.of(DeadLetterReason.UNREADABLE, "$", "is empty");
		}
		return this.contract.read(node, () -> DEFAULT_ID, RECEIVED);
	}

	private static void sameEvent(String name, ErrorEvent actual, ErrorEvent expected) {
		assertThat(actual.eventId()).as(name).isEqualTo(expected.eventId());
		assertThat(actual.source()).as(name).isEqualTo(expected.source());
		assertThat(actual.type()).as(name).isEqualTo(expected.type());
		assertThat(actual.severity()).as(name).isEqualTo(expected.severity());
		assertThat(actual.category()).as(name).isEqualTo(expected.category());
		assertThat(actual.message()).as(name).isEqualTo(expected.message());
		assertThat(actual.occurredAt()).as(name).isEqualTo(expected.occurredAt());
		assertThat(actual.fingerprint()).as(name).isEqualTo(expected.fingerprint());
		assertThat(actual.classification()).as(name).isEqualTo(expected.classification());
		// the same JSON, whether as sent or as the tree writes it
		assertThat(JSON.readTree(actual.contextJson())).as(name).isEqualTo(JSON.readTree(expected.contextJson()));
	}

	private static Map<String, String> variants() {
		Map<String, String> variants = new LinkedHashMap<>();
		variants.put("base", BASE);
		List<String> values = List.of("null", "42", "4.5", "true", "[]", "{}", "[\"x\"]", "\"\"", "\" \"", "\"x\"",
				"\"agent-1\\n\"", "\"é\"", "\"\\u0000\"", "\"\\ud83d\\ude00\"", "\"😀\"", "\"" + "y".repeat(64) + "\"",
				"\"" + "y".repeat(65) + "\"", "\"" + "y".repeat(128) + "\"", "\"" + "y".repeat(129) + "\"",
				"\"" + "😀".repeat(64) + "\"", "\"" + "é".repeat(4096) + "\"", "\"" + "é".repeat(4097) + "\"",
				"\"" + "y".repeat(8192) + "\"", "\"" + "y".repeat(8193) + "\"", "\"medium\"", "\"HIGH\"", "\"network\"",
				"\"weather\"", "\"6F1C1F8E-2F59-4C1B-9A8E-6B0B7D3F9A11\"", "\"6f1c1f8e2f594c1b9a8e6b0b7d3f9a11\"",
				"\"6f1c1f8e-2f59-4c1b-9a8e-6b0b7d3f9a1\"", "\"2026-11-22T14:03:07\"", "\"2026-11-22 14:03:07.5\"",
				"\"2026-11-22T14:03\"", "\"2026-11-22T14:03:07.123456789Z\"", "\"2026-11-22T14:03:07-05:00\"",
				"\"2026-11-22t14:03:07\"", "\"2026-02-30T25:00:00\"", "\"1969-12-31T23:59:59Z\"",
				"\"2026-11-22T14:03:07\\n\"", "\"yesterday\"", "\"١٢٣٤-11-22T14:03:07\"");
		for (String field : List.of("event_id", "source", "type", "severity", "message", "timestamp", "category",
				"context")) {
			variants.put(field + " missing", without(field));
			for (String value : values) {
				variants.put(field + "=" + abbreviate(value), with(field, value));
			}
		}
		List<String> contexts = List.of("{}", "{\"a\":{\"b\":[1,2,{\"c\":null}]}}", "{\"k\":\"v\\u0000\"}",
				"{\"k\":\"caf\\u00e9\"}", "{\"k\":\"\\ud800\"}", "{\"n\":1e400}", "{\"n\":1.5E3}", "{\"n\":-0.0}",
				"{\"n\":12345678901234567890123456789}", "{\"n\":" + "9".repeat(100) + "}", "{\"n\":0.1000}",
				"{ \"spaced\" : [ 1 , 2 ] }", "{\"path\":\"C:\\\\users\\\\agent\"}", "{\"dup\":1,\"dup\":2}",
				"{\"big\":\"" + "x".repeat(66_000) + "\"}", "{\"big\":\"" + "x".repeat(30_000) + "\"}",
				"{\"tab\":\"a\\tb\",\"quote\":\"\\\"\",\"slash\":\"\\/\"}", "{\"emoji\":\"😀\"}");
		for (String context : contexts) {
			variants.put("context " + abbreviate(context), with("context", context));
		}
		for (String age : List.of("0", "42", "-1", "4.5", "4.0", "2147483647", "2147483648", "1e3", "\"5\"", "null",
				"[]")) {
			variants.put("age_ms=" + age, with("age_ms", age));
		}
		variants.put("duplicate source",
				BASE.replace("\"source\":\"agent-007\",", "\"source\":\"agent-007\",\"source\":\"agent-008\","));
		variants.put("duplicate unknown", BASE.replace("{\"event_id\"", "{\"x\":1,\"x\":[2],\"event_id\""));
		variants.put("unknown fields",
				BASE.replace("{\"event_id\"", "{\"extra\":{\"deep\":[1,{\"e\":2}]},\"event_id\""));
		variants.put("trailing garbage", BASE + "x");
		variants.put("trailing object", BASE + "{}");
		variants.put("trailing spaces", BASE + "  \n");
		variants.put("leading spaces", "  " + BASE);
		variants.put("array", "[" + BASE + "]");
		variants.put("string", "\"event\"");
		variants.put("number", "42");
		variants.put("empty", "");
		variants.put("empty object", "{}");
		variants.put("truncated", BASE.substring(0, BASE.length() - 5));
		variants.put("comment", BASE.replace("{\"event_id\"", "{/* hi */\"event_id\""));
		variants.put("single quotes", BASE.replace("\"agent-007\"", "'agent-007'"));
		return variants;
	}

	private static String with(String field, String value) {
		String json = without(field);
		return "{\"" + field + "\":" + value + "," + json.substring(1);
	}

	private static String without(String field) {
		JsonNode node = JSON.readTree(BASE);
		((tools.jackson.databind.node.ObjectNode) node).remove(field);
		return JSON.writeValueAsString(node);
	}

	private static String abbreviate(String value) {
		return (value.length() > 40) ? value.substring(0, 20) + "…(" + value.length() + ")" : value;
	}

	private static byte[] bytes(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void treatsMalformedUtf8AsTheTreeDoes() {
		List<byte[]> cases = new ArrayList<>();
		byte[] base = bytes(BASE);
		for (String needle : List.of("agent-007", "node-1", "timed out")) {
			byte[] copy = base.clone();
			int at = BASE.indexOf(needle);
			copy[at + 1] = (byte) 0xC3; // a lead byte followed by ASCII
			cases.add(copy);
			byte[] lone = base.clone();
			lone[at + 2] = (byte) 0x80; // a continuation byte alone
			cases.add(lone);
		}
		for (byte[] bytes : cases) {
			Reading general = general(bytes);
			Reading read = this.contract.read(bytes, () -> DEFAULT_ID, RECEIVED);
			assertThat(read.getClass()).isEqualTo(general.getClass());
			if (read instanceof Invalid invalid) {
				assertThat(invalid.reason()).isEqualTo(((Invalid) general).reason());
			}
		}
	}

}
