package io.rebound;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) in this JVM, on a
 * port of our choosing and with its log in a directory that outlives it: unlike the test
 * kit's embedded broker, agents can find it at a fixed address, and a stopped broker can
 * be started again on the same data.
 */
public final class LocalKafka implements AutoCloseable {

	private final Properties config;

	private final int port;

	private KafkaRaftServer server;

	private LocalKafka(Properties config, int port) {
		this.config = config;
		this.port = port;
	}

	/**
	 * Starts a broker, formatting {@code directory} the first time.
	 * @param port the client port (0 for any free one)
	 * @param directory where the log lives
	 * @return the running broker
	 */
	public static LocalKafka start(int port, Path directory) throws Exception {
		return start(port, directory, 0, 0);
	}

	/**
	 * Starts a broker with a second client listener, {@code BEHIND} on
	 * {@code behindPort}, that advertises {@code advertisedPort} instead: clients that
	 * bootstrap there through a proxy forwarding {@code advertisedPort} to
	 * {@code behindPort} keep talking through it, while the others reach the broker
	 * directly.
	 * @param port the client port (0 for any free one)
	 * @param directory where the log lives
	 * @param behindPort the second listener's port, or 0 for none
	 * @param advertisedPort the port it advertises (the proxy's)
	 * @return the running broker
	 */
	public static LocalKafka start(int port, Path directory, int behindPort, int advertisedPort) throws Exception {
		int clientPort = (port != 0) ? port : freePort();
		int controllerPort = freePort();
		Files.createDirectories(directory);
		String dir = directory.toAbsolutePath().toString();
		Properties config = new Properties();
		config.put("process.roles", "broker,controller");
		config.put("node.id", "1");
		config.put("controller.quorum.voters", "1@localhost:" + controllerPort);
		String behind = (behindPort != 0) ? ",BEHIND://localhost:" + behindPort : "";
		config.put("listeners",
				"PLAINTEXT://localhost:" + clientPort + behind + ",CONTROLLER://localhost:" + controllerPort);
		config.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort
				+ ((behindPort != 0) ? ",BEHIND://localhost:" + advertisedPort : ""));
		config.put("inter.broker.listener.name", "PLAINTEXT");
		config.put("controller.listener.names", "CONTROLLER");
		config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,BEHIND:PLAINTEXT,CONTROLLER:PLAINTEXT");
		config.put("log.dirs", dir);
		config.put("offsets.topic.replication.factor", "1");
		config.put("transaction.state.log.replication.factor", "1");
		config.put("transaction.state.log.min.isr", "1");
		config.put("group.initial.rebalance.delay.ms", "0");
		config.put("auto.create.topics.enable", "false");
		if (!Files.exists(directory.resolve("meta.properties"))) {
			new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
				.setNodeId(1)
				.setClusterId(Uuid.randomUuid().toString())
				.addDirectory(dir)
				.setMetadataLogDirectory(dir)
				.setControllerListenerName("CONTROLLER")
				.setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
				.run();
		}
		LocalKafka kafka = new LocalKafka(config, clientPort);
		kafka.startServer();
		return kafka;
	}

	private void startServer() {
		this.server = new KafkaRaftServer(KafkaConfig.fromProps(this.config), Time.SYSTEM);
		this.server.startup();
	}

	/**
	 * Stops the broker cleanly and starts it again on the same ports and log, as an
	 * operator's restart would.
	 */
	public void restart() {
		close();
		startServer();
	}

	public String bootstrapServers() {
		return "localhost:" + this.port;
	}

	@Override
	public void close() {
		this.server.shutdown();
		this.server.awaitShutdown();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
