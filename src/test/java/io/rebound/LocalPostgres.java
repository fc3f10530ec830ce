package io.rebound;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own, from the machine's PostgreSQL binaries, in a directory
 * of its own and on a free port: one a test may stop and start again (as an operator
 * would, {@code pg_ctl stop -m fast}) without touching the machine's server. Run as the
 * {@code postgres} user when the tests run as root, since PostgreSQL refuses root.
 */
public final class LocalPostgres implements AutoCloseable {

	private final Path bin;

	private final Path data;

	private final int port;

	private LocalPostgres(Path bin, Path data, int port) {
		this.bin = bin;
		this.data = data;
		this.port = port;
	}

	/** Whether the machine has PostgreSQL's server binaries. */
	public static boolean available() {
		return binaries() != null;
	}

	/** Creates a cluster in a fresh directory and starts it. */
	public static LocalPostgres start() throws Exception {
		Path bin = binaries();
		if (bin == null) {
			throw new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql");
		}
		Path data = Files.createTempDirectory("rebound-pg-");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		LocalPostgres postgres = new LocalPostgres(bin, data.resolve("data"), port);
		if (root()) {
			run(List.of("chown", "postgres:postgres", data.toString()));
		}
		postgres.asOwner(bin.resolve("initdb").toString(), "-D", postgres.data.toString(), "-A", "trust", "-U",
				"postgres", "-E", "UTF8", "--no-sync");
		postgres.startServer();
		return postgres;
	}

	/** The JDBC URL of a database on it. */
	public String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	public void createDatabase(String name) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
	}

	/** Starts the stopped server again on the same data and port. */
	public void startServer() throws Exception {
		asOwner(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-l",
				this.data.resolveSibling("server.log").toString(), "-w", "-o",
				"-p " + this.port + " -k " + this.data.getParent() + " -c listen_addresses=127.0.0.1", "start");
	}

	/** Stops it: open connections are ended, new ones refused. */
	public void stopServer() throws Exception {
		asOwner(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-m", "fast", "-w", "stop");
	}

	@Override
	public void close() throws Exception {
		try {
			stopServer();
		}
		finally {
			try (Stream<Path> files = Files.walk(this.data.getParent())) {
				files.sorted(Comparator.reverseOrder()).forEach((f) -> f.toFile().delete());
			}
		}
	}

	private void asOwner(String... command) throws Exception {
		List<String> full = new ArrayList<>();
		if (root()) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(List.of(command));
		run(full);
	}

	private static void run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (process.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
		}
	}

	private static boolean root() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static Path binaries() {
		Path versions = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(versions)) {
			return null;
		}
		try (Stream<Path> list = Files.list(versions)) {
			return list.map((v) -> v.resolve("bin"))
				.filter((b) -> Files.isExecutable(b.resolve("pg_ctl")))
				.max(Comparator.comparing((Path b) -> versionOf(b)))
				.orElse(null);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static int versionOf(Path bin) {
		try {
			return Integer.parseInt(bin.getParent().getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
