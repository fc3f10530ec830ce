package io.rebound.agents;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rebound.agents.LogBlocks.Block;
import io.rebound.ingest.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tails the configured log files and publishes matching lines (with their tracebacks) as
 * error events. It follows rotation (a file renamed away is read to its end before the
 * new one is started) and truncation, and resumes from positions stored in PostgreSQL. A
 * block's event id comes from the file's identity and the block's offset, so a block read
 * twice (after a crash between publishing and storing the position) is stored once.
 */
@Component
class LogScanner {

	private static final Logger log = LoggerFactory.getLogger(LogScanner.class);

	private static final int MAX_MESSAGE_BYTES = 8000;

	private final LogsProperties properties;

	private final LogPositions positions;

	private final EventBus bus;

	private final JsonMapper json;

	private final Counter published;

	private final Counter suppressed;

	private final Map<Path, Tail> tails = new HashMap<>();

	LogScanner(LogsProperties properties, LogPositions positions, EventBus bus, JsonMapper json, MeterRegistry meters) {
		this.properties = properties;
		this.positions = positions;
		this.bus = bus;
		this.json = json;
		this.published = Counter.builder("rebound.logs.events")
			.description("Log blocks published as error events")
			.register(meters);
		this.suppressed = Counter.builder("rebound.logs.suppressed")
			.description("Matching log blocks over the per-file rate limit, counted but not published")
			.register(meters);
	}

	/** Where one file is being read. */
	private static final class Tail {

		String fileKey;

		long position;

		long generation;

		long suppressed;

		LogBlocks blocks;

		long windowStart;

		int windowCount;

		Tail(String fileKey, long position, long generation, long suppressed, List<String> patterns) {
			this.fileKey = fileKey;
			this.position = position;
			this.generation = generation;
			this.suppressed = suppressed;
			this.blocks = new LogBlocks(patterns);
		}

	}

	@Scheduled(fixedDelayString = LogsProperties.BEAN + ".pollInterval().toMillis()}")
	synchronized void poll() {
		for (String glob : this.properties.paths()) {
			for (Path file : LogFiles.matching(glob)) {
				try {
					scan(file);
				}
				catch (IOException | RuntimeException ex) {
					log.warn("Reading {} failed; trying again at the next poll: {}", file, ex.toString());
				}
			}
		}
	}

	private void scan(Path file) throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
		String key = LogFiles.key(file, attributes);
		Tail tail = this.tails.get(file);
		if (tail == null) {
			tail = this.positions.load(file)
				.map((p) -> new Tail(p.fileKey(), p.position(), p.generation(), p.suppressed(),
						this.properties.patterns()))
				.orElseGet(() -> new Tail(key, 0, 0, 0, this.properties.patterns()));
			this.tails.put(file, tail);
		}
		List<Block> blocks = new ArrayList<>();
		if (!tail.fileKey.equals(key)) {
			// rotated: finish the file it was renamed to, then start the new one from its
			// beginning
			Path rotated = LogFiles.findByKey(file.getParent(), tail.fileKey);
			if (rotated != null) {
				read(rotated, tail, Files.size(rotated));
			}
			tail.blocks.closeOpen();
			blocks.addAll(tail.blocks.drain());
			publish(file, tail, blocks);
			blocks.clear();
			Tail fresh = new Tail(key, 0, tail.generation + 1, tail.suppressed, this.properties.patterns());
			this.tails.put(file, fresh);
			tail = fresh;
		}
		long size = attributes.size();
		if (size < tail.position) {
			tail.position = 0; // truncated: the same offsets will hold new lines
			tail.generation++;
			tail.blocks = new LogBlocks(this.properties.patterns());
		}
		if (size == tail.position) {
			tail.blocks.closeOpen(); // quiet: an open block is complete
		}
		else {
			read(file, tail, size);
		}
		blocks.addAll(tail.blocks.drain());
		publish(file, tail, blocks);
	}

	/** Reads the complete lines from the tail's position up to {@code size}. */
	private void read(Path file, Tail tail, long size) throws IOException {
		if (size <= tail.position) {
			return;
		}
		byte[] bytes = new byte[(int) Math.min(size - tail.position, 8 * 1024 * 1024)];
		try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
			in.seek(tail.position);
			in.readFully(bytes);
		}
		int lineStart = 0;
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == '\n') {
				int end = (i > lineStart && bytes[i - 1] == '\r') ? i - 1 : i;
				tail.blocks.line(new String(bytes, lineStart, end - lineStart, StandardCharsets.UTF_8),
						tail.position + lineStart);
				lineStart = i + 1;
			}
		}
		tail.position += lineStart; // a partial last line waits for its end
	}

	private void publish(Path file, Tail tail, List<Block> blocks) {
		List<ObjectNode> events = new ArrayList<>();
		long now = System.currentTimeMillis();
		for (Block block : blocks) {
			if (now - tail.windowStart >= 60_000) {
				tail.windowStart = now;
				tail.windowCount = 0;
			}
			if (tail.windowCount >= this.properties.maxEventsPerMinute()) {
				tail.suppressed++;
				this.suppressed.increment();
				continue;
			}
			tail.windowCount++;
			events.add(event(file, tail, block));
		}
		if (!events.isEmpty()) {
			this.bus.publishErrors(events);
			this.published.increment(events.size());
		}
		// an open block's lines are held in memory: the stored position stays at its
		// start, so
		// that after a restart they are read again
		long open = tail.blocks.openOffset();
		this.positions.save(file, tail.fileKey, (open >= 0) ? open : tail.position, tail.generation, tail.suppressed);
	}

	private ObjectNode event(Path file, Tail tail, Block block) {
		ObjectNode event = this.json.createObjectNode();
		String place = "log:" + tail.fileKey + ":" + tail.generation + ":" + block.offset();
		event.put("event_id", UUID.nameUUIDFromBytes(place.getBytes(StandardCharsets.UTF_8)).toString());
		event.put("source", sourceOf(file));
		event.put("type", "log_" + block.pattern().toLowerCase(Locale.ROOT));
		boolean critical = block.pattern().equals("CRITICAL") || block.pattern().equals("FATAL");
		event.put("severity", critical ? "critical" : "high");
		event.put("message", truncate(String.join("\n", block.lines())));
		event.put("timestamp", Instant.now().toString());
		ObjectNode context = event.putObject("context");
		context.put("file", file.toString());
		context.put("offset", block.offset());
		context.put("lines", block.lines().size());
		return event;
	}

	private String sourceOf(Path file) {
		String name = file.getFileName().toString();
		String mapped = this.properties.sources().get(name);
		if (mapped != null) {
			return mapped;
		}
		String stem = (name.indexOf('.') > 0) ? name.substring(0, name.indexOf('.')) : name;
		String id = stem.replaceAll("[^A-Za-z0-9._:-]", "-");
		return id.isEmpty() ? "unknown-log" : id.substring(0, Math.min(id.length(), 128));
	}

	private static String truncate(String message) {
		String text = message.isEmpty() ? "(empty line)" : message;
		while (text.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
			text = text.substring(0, text.length() * 9 / 10);
		}
		return text;
	}

}
