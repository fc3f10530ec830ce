package io.rebound.agents;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finding the log files to tail, and telling one file from another across renames.
 */
final class LogFiles {

	private LogFiles() {
	}

	/** The regular files a glob such as {@code /var/log/agents/*.log} matches, sorted. */
	static List<Path> matching(String glob) {
		Path pattern = Path.of(glob);
		Path directory = pattern.getParent();
		if (directory == null || !Files.isDirectory(directory)) {
			return List.of();
		}
		PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
		try (Stream<Path> entries = Files.list(directory)) {
			return entries.filter((p) -> matcher.matches(p.getFileName()) && Files.isRegularFile(p)).sorted().toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	/** The file in {@code directory} with this identity, or {@code null}. */
	static Path findByKey(Path directory, String key) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			for (Path candidate : entries.filter(Files::isRegularFile).toList()) {
				if (key.equals(key(candidate, Files.readAttributes(candidate, BasicFileAttributes.class)))) {
					return candidate;
				}
			}
		}
		return null;
	}

	/**
	 * A file's identity (device and inode where the platform has them), which survives
	 * renames.
	 */
	static String key(Path file, BasicFileAttributes attributes) {
		Object key = attributes.fileKey();
		return (key != null) ? key.toString() : file.toString() + "@" + attributes.creationTime().toMillis();
	}

}
