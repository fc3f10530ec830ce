package io.rebound.client;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Events kept on disk while Rebound or Kafka is away, replayed in order once it answers:
 * numbered segment files of JSON lines (the Python client's format). When the spool holds
 * more than its bound the oldest segment is deleted and its events counted as dropped. A
 * segment is deleted once all of it was delivered, so after a crash at most one segment is
 * sent again — and counts once, since each event carries its {@code event_id}.
 */
final class Spool {

	private final Path directory;

	private final long maxBytes;

	private final long segmentBytes;

	private long dropped;

	private int readOffset;

	Spool(Path directory, long maxBytes, long segmentBytes) {
		this.directory = directory;
		this.maxBytes = maxBytes;
		this.segmentBytes = segmentBytes;
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot create the spool directory " + directory, ex);
		}
	}

	/**
	 * What the last {@link #peek} found.
	 *
	 * @param events the events' JSON
	 * @param lines the lines they took, to pass to {@link #delivered}
	 */
	record Batch(List<String> events, int lines) {
	}

	synchronized long dropped() {
		return this.dropped;
	}

	synchronized boolean isEmpty() {
		return segments().isEmpty();
	}

	synchronized long size() {
		return segments().stream().mapToLong(Spool::bytes).sum();
	}

	synchronized int count() {
		return segments().stream().mapToInt(Spool::lines).sum() - this.readOffset;
	}

	synchronized void append(List<String> events) {
		if (events.isEmpty()) {
			return;
		}
		List<Path> segments = segments();
		Path target = (!segments.isEmpty() && bytes(segments.get(segments.size() - 1)) < this.segmentBytes)
				? segments.get(segments.size() - 1)
				: this.directory.resolve(String.format("%012d.jsonl",
						segments.isEmpty() ? 1 : number(segments.get(segments.size() - 1)) + 1));
		boolean torn = endsTorn(target);
		try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND)) {
			if (torn) {
				out.write('\n'); // a line cut short by a crash stays a line of its own
			}
			for (String event : events) {
				out.write(event);
				out.write('\n');
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		enforceBound();
	}

	synchronized Batch peek(int limit) {
		List<Path> segments = segments();
		if (segments.isEmpty()) {
			return new Batch(List.of(), 0);
		}
		List<String> events = new ArrayList<>();
		int lines = 0;
		try (Stream<String> all = Files.lines(segments.get(0), StandardCharsets.UTF_8)) {
			for (String line : (Iterable<String>) all.skip(this.readOffset).limit(limit)::iterator) {
				lines++;
				if (line.startsWith("{") && line.endsWith("}")) {
					events.add(line); // a line torn by a crash mid-write is skipped
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (lines == 0) {
			delete(segments.get(0));
			this.readOffset = 0;
		}
		return new Batch(events, lines);
	}

	synchronized void delivered(int lines) {
		List<Path> segments = segments();
		if (segments.isEmpty()) {
			return;
		}
		this.readOffset += lines;
		if (this.readOffset >= lines(segments.get(0))) {
			delete(segments.get(0));
			this.readOffset = 0;
		}
	}

	private void enforceBound() {
		List<Path> segments = segments();
		long total = segments.stream().mapToLong(Spool::bytes).sum();
		while (total > this.maxBytes && segments.size() > 1) {
			Path oldest = segments.remove(0);
			total -= bytes(oldest);
			this.dropped += Math.max(0, lines(oldest) - this.readOffset);
			this.readOffset = 0;
			delete(oldest);
		}
	}

	private List<Path> segments() {
		try (Stream<Path> files = Files.list(this.directory)) {
			return new ArrayList<>(files.filter((p) -> p.getFileName().toString().endsWith(".jsonl"))
				.sorted((a, b) -> Long.compare(number(a), number(b)))
				.toList());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean endsTorn(Path file) {
		try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
			if (channel.size() == 0) {
				return false;
			}
			java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
			channel.read(last, channel.size() - 1);
			return last.get(0) != '\n';
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static long number(Path segment) {
		String name = segment.getFileName().toString();
		return Long.parseLong(name.substring(0, name.indexOf('.')));
	}

	private static long bytes(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static int lines(Path file) {
		try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
			return (int) lines.count();
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static void delete(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
