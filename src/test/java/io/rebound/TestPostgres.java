package io.rebound;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Finds a PostgreSQL server for tests and the local run, in this order: the local server
 * on 127.0.0.1:5432 (override with {@code REBOUND_TEST_PG_URL}); a Testcontainers
 * PostgreSQL where Docker runs; an embedded PostgreSQL (zonky) otherwise. With
 * {@code -Drebound.test.postgres=deployed} (the benchmarks' default), a server of its own
 * set up as Rebound's Compose deploys it ({@link DeployedPostgres}). Databases are
 * created per use and dropped by their users.
 */
public final class TestPostgres {

	private static final String LOCAL = System.getenv()
		.getOrDefault("REBOUND_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");

	private static Server server;

	/**
	 * A server: the admin URL (ending in '/') and the user.
	 *
	 * @param baseUrl the JDBC URL without a database name
	 * @param user the user to connect as
	 * @param password its password
	 * @param kind what it is, for logs
	 */
	public record Server(String baseUrl, String user, String password, String kind) {

		public String url(String database) {
			return this.baseUrl + database;
		}

		Connection connect(String database) throws SQLException {
			return DriverManager.getConnection(url(database), this.user, this.password);
		}

	}

	private TestPostgres() {
	}

	public static synchronized Server server() {
		if (server == null) {
			server = find();
		}
		return server;
	}

	/** Creates a database with a fresh name and returns its name. */
	public static String createDatabase(String prefix) {
		String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
			.toLowerCase(Locale.ROOT);
		execute("CREATE DATABASE " + name);
		return name;
	}

	/** Creates the database unless it exists. */
	public static void ensureDatabase(String name) {
		try (Connection connection = server().connect("postgres"); Statement statement = connection.createStatement()) {
			if (!statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'").next()) {
				statement.execute("CREATE DATABASE " + name);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create database " + name, ex);
		}
	}

	public static void dropDatabase(String name) {
		execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
	}

	private static void execute(String sql) {
		try (Connection connection = server().connect("postgres"); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Failed on " + server().kind() + ": " + sql, ex);
		}
	}

	private static Server find() {
		if ("deployed".equals(System.getProperty("rebound.test.postgres"))) {
			try {
				return DeployedPostgres.start();
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot start a PostgreSQL as deployed", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		Server local = new Server(LOCAL, "postgres", "", "local PostgreSQL at " + LOCAL);
		try (Connection connection = local.connect("postgres")) {
			return local;
		}
		catch (SQLException ex) {
			// not there: try the next
		}
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			String url = container.getJdbcUrl();
			return new Server(url.substring(0, url.lastIndexOf('/') + 1), container.getUsername(),
					container.getPassword(), "Testcontainers PostgreSQL");
		}
		try {
			EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					embedded.close();
				}
				catch (IOException ex) {
					// the JVM is going away
				}
			}));
			return new Server("jdbc:postgresql://localhost:" + embedded.getPort() + "/", "postgres", "",
					"embedded PostgreSQL");
		}
		catch (IOException ex) {
			throw new IllegalStateException("No PostgreSQL: none answers at " + LOCAL
					+ ", Docker is not available, and the embedded one failed to start", ex);
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

}
