package io.rebound.agents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.rebound.Http;
import io.rebound.IntegrationTest;
import io.rebound.ingest.EventBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log scanner on real files in {@code target/it-logs}, publishing through Kafka into
 * PostgreSQL, read back over the errors API.
 */
@IntegrationTest
class LogScannerIntegrationTests {

	static final Path LOGS = Path.of("target/it-logs");

	@LocalServerPort
	int port;

	@Autowired
	LogsProperties properties;

	@Autowired
	LogPositions positions;

	@Autowired
	EventBus bus;

	@Autowired
	JsonMapper json;

	@Autowired
	MeterRegistry meters;

	Http http;

	String agent;

	Path file;

	@BeforeEach
	void setUp() throws IOException {
		Files.createDirectories(LOGS);
		this.http = new Http(this.port);
		this.agent = "logger-" + UUID.randomUUID().toString().substring(0, 8);
		this.file = LOGS.resolve(this.agent + ".log");
	}

	@Test
	void matchingLinesBecomeEventsWithTheirTracebacks() throws IOException {
		append(this.file, """
				2026-11-22 14:03:07 INFO all good
				2026-11-22 14:03:08 ERROR task 17 failed
				Traceback (most recent call last):
				  File "/srv/agent/loop.py", line 88, in run
				    result = self.step(task)
				ValueError: bad input 17
				2026-11-22 14:03:09 INFO carrying on
				2026-11-22 14:03:10 CRITICAL out of memory
				""");

		List<String> messages = awaitMessages(2);
		assertThat(messages)
			.anySatisfy((m) -> assertThat(m).startsWith("2026-11-22 14:03:08 ERROR task 17 failed\nTraceback")
				.contains("    result = self.step(task)")
				.endsWith("ValueError: bad input 17"));
		assertThat(messages).anySatisfy((m) -> assertThat(m).contains("CRITICAL out of memory"));
		assertThat(messages).noneSatisfy((m) -> assertThat(m).contains("INFO"));
		assertThat(errors("&type=log_critical").get(0).get("severity").asString()).isEqualTo("critical");
	}

	@Test
	void followsRotationAndTruncationWithoutLosingOrRepeatingALine() throws Exception {
		append(this.file, "ERROR one\n");
		awaitMessages(1);
		append(this.file, "ERROR two\n");
		// rotated before the scanner read "two": it must still be read from the renamed
		// file
		Files.move(this.file, LOGS.resolve(this.agent + ".log.1"));
		append(this.file, "ERROR three\n");
		awaitMessages(3);

		Files.writeString(this.file, "", StandardOpenOption.TRUNCATE_EXISTING);
		append(this.file, "ERROR four\n");

		assertThat(awaitMessages(4)).containsExactlyInAnyOrder("ERROR one", "ERROR two", "ERROR three", "ERROR four");
	}

	@Test
	void aRestartResumesFromTheStoredPositionWithoutReportingAgain() throws Exception {
		append(this.file, "ERROR before the restart\n");
		awaitMessages(1);

		LogScanner restarted = new LogScanner(this.properties, this.positions, this.bus, this.json, this.meters);
		append(this.file, "ERROR after the restart\n");
		restarted.poll();

		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(messages()).containsExactlyInAnyOrder("ERROR before the restart",
					"ERROR after the restart"));
		assertThat(events()).isEqualTo(2);
		assertThat(this.positions.load(this.file).orElseThrow().position()).isEqualTo(Files.size(this.file));
	}

	@Test
	void beyondTheRateLimitBlocksAreCountedNotPublished() throws IOException {
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < 30; i++) {
			lines.append("ERROR burst line ").append(i).append('\n');
		}
		append(this.file, lines.toString());

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(events()).isEqualTo(20);
			assertThat(this.positions.load(this.file).orElseThrow().suppressed()).isEqualTo(10);
		});
	}

	private List<String> awaitMessages(int count) {
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(events()).isEqualTo(count));
		return messages();
	}

	private long events() {
		long total = 0;
		for (JsonNode error : errors("")) {
			total += error.get("count").asLong();
		}
		return total;
	}

	private List<String> messages() {
		List<String> messages = new ArrayList<>();
		for (JsonNode error : errors("")) {
			this.http.get("/api/errors/" + error.get("id").asString() + "/events?limit=500")
				.json()
				.get("items")
				.forEach((event) -> messages.add(event.get("message").asString()));
		}
		return messages;
	}

	private List<JsonNode> errors(String filter) {
		List<JsonNode> errors = new ArrayList<>();
		this.http.get("/api/errors?limit=500&source=" + this.agent + filter).json().get("items").forEach(errors::add);
		return errors;
	}

	private static void append(Path file, String text) throws IOException {
		Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

}
