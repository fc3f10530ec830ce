package io.rebound;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own, set up as Rebound's Docker Compose deploys it (the
 * server's defaults, autovacuum among them, and {@code shared_buffers=512MB}), for the
 * benchmarks: the machine's own server is set up for the tests instead (autovacuum off,
 * 128 MB of buffers). Made from the machine's PostgreSQL binaries (the newest under
 * {@code /usr/lib/postgresql}, or {@code -Drebound.test.postgres.bin}) in a temporary
 * directory, on a free port, and removed when the JVM ends. As root, it runs as the
 * {@code postgres} user, since PostgreSQL refuses to run as root.
 */
final class DeployedPostgres {

	/** The settings Rebound's {@code docker-compose.yml} gives its PostgreSQL. */
	static final List<String> SETTINGS = List.of("shared_buffers=512MB");

	private DeployedPostgres() {
	}

	static TestPostgres.Server start() throws IOException, InterruptedException {
		Path bin = binaries();
		Path data = Files.createTempDirectory("rebound-postgres-");
		boolean root = "root".equals(System.getProperty("user.name"));
		if (root) {
			UserPrincipal postgres = data.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName("postgres");
			Files.setOwner(data, postgres);
		}
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		run(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E",
				"UTF8", "--locale=C");
		StringBuilder options = new StringBuilder(
				"-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + data);
		SETTINGS.forEach((setting) -> options.append(" -c ").append(setting));
		run(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(),
				"-w", "-o", options.toString(), "start");
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				run(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
				try (Stream<Path> files = Files.walk(data)) {
					files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
				}
			}
			catch (IOException | InterruptedException ex) {
				// the JVM is going away
			}
		}));
		return new TestPostgres.Server("jdbc:postgresql://127.0.0.1:" + port + "/", "postgres", "",
				"PostgreSQL as deployed (" + String.join(", ", SETTINGS) + ", the rest its defaults) at port " + port);
	}

	private static Path binaries() throws IOException {
		String given = System.getProperty("rebound.test.postgres.bin");
		if (given != null) {
			return Path.of(given);
		}
		try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
			return versions.filter((v) -> Files.isExecutable(v.resolve("bin/pg_ctl")))
				.max(Comparator
					.comparingInt((v) -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
				.map((v) -> v.resolve("bin"))
				.orElseThrow(() -> new IOException("no PostgreSQL binaries under /usr/lib/postgresql"));
		}
	}

	private static void run(boolean root, String... command) throws IOException, InterruptedException {
		List<String> line = new ArrayList<>();
		if (root) {
			line.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		line.addAll(List.of(command));
		Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException(String.join(" ", line) + " failed:\n" + output);
		}
	}

}
