package io.rebound.bench;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebound in a JVM of its own ({@code -Xmx512m}), so its heap and CPU are its own and not
 * the broker's or the load generator's.
 */
public final class ReboundProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final HttpClient http = HttpClient.newHttpClient();

	private ReboundProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	public static ReboundProcess start(int port, String kafka, String jdbcUrl, Path log, String... extra)
			throws Exception {
		List<String> command = java("io.rebound.Rebound");
		command.addAll(List.of("--server.port=" + port, "--spring.kafka.bootstrap-servers=" + kafka,
				"--spring.datasource.url=" + jdbcUrl, "--logging.level.org.apache.kafka=warn",
				"--rebound.security.enabled=false"));
		String jfr = System.getProperty("bench.jfr");
		if (jfr != null) {
			command.add(1, "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
		}
		command.addAll(List.of(extra));
		String args = System.getProperty("bench.args", "").strip();
		if (!args.isEmpty()) {
			command.addAll(List.of(args.split("\\s+")));
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(new File("."))
			.start();
		ReboundProcess rebound = new ReboundProcess(process, port);
		long deadline = System.currentTimeMillis() + 120_000;
		while (!rebound.ready()) {
			if (!process.isAlive() || System.currentTimeMillis() > deadline) {
				throw new IllegalStateException("Rebound did not start; see " + log);
			}
			Thread.sleep(250);
		}
		return rebound;
	}

	/**
	 * The command that runs {@code mainClass} from the tests' class path in a JVM as
	 * Rebound's own: {@code -Xmx512m} and the flags the build gives the tests' child JVMs
	 * (the benchmarks': the image's; "none": the JVM's own defaults).
	 */
	static List<String> java(String mainClass) {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
		String flags = System.getProperty("rebound.test.child-jvm", "").strip();
		if (!flags.isEmpty() && !flags.equals("none")) {
			command.addAll(List.of(flags.split("\\s+")));
		}
		command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
		return command;
	}

	boolean ready() {
		try {
			return get("/actuator/health/readiness").contains("\"UP\"");
		}
		catch (Exception ex) {
			return false;
		}
	}

	/** CPU time Rebound's process has used so far (user + system), from /proc. */
	Duration cpuTime() throws Exception {
		return cpuTime(this.process.pid());
	}

	/** CPU time a process has used so far (user + system), from /proc. */
	static Duration cpuTime(long pid) throws Exception {
		String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return Duration.ofMillis(ticks * 10); // USER_HZ is 100 on Linux
	}

	/** The groups {@link #threadCpu} sorts the process's threads into. */
	static final List<String> THREAD_GROUPS = List.of("ingest threads", "JIT", "GC", "Kafka client", "other");

	/**
	 * CPU seconds used so far by the process's live threads, per group of
	 * {@link #THREAD_GROUPS}, from /proc/<pid>/task (thread names as Linux keeps them:
	 * their first 15 characters).
	 */
	double[] threadCpu() throws Exception {
		double[] seconds = new double[THREAD_GROUPS.size()];
		try (java.util.stream.Stream<Path> tasks = java.nio.file.Files
			.list(Path.of("/proc/" + this.process.pid() + "/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				String stat;
				try {
					stat = java.nio.file.Files.readString(task.resolve("stat"));
				}
				catch (java.io.IOException ex) {
					continue; // the thread ended meanwhile
				}
				String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				seconds[threadGroup(name)] += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
			}
		}
		return seconds;
	}

	private static int threadGroup(String name) {
		if (name.startsWith("rebound-ingest")) {
			return 0;
		}
		if (name.contains("CompilerThre")) {
			return 1;
		}
		if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")
				|| name.startsWith("GC ")) {
			return 2;
		}
		if (name.startsWith("kafka-")) {
			return 3;
		}
		return 4;
	}

	/** CPU seconds the ingest threads spent in one stage so far. */
	double stageCpu(String stage) throws Exception {
		return metric("rebound.ingest.cpu?tag=stage:" + stage);
	}

	/** A timer's count and total seconds so far. */
	double[] timer(String name) throws Exception {
		String body = get("/actuator/metrics/" + name);
		return new double[] { statistic(body, "COUNT"), statistic(body, "TOTAL_TIME") };
	}

	/** A distribution summary's count and total so far. */
	double[] summary(String name) throws Exception {
		String body = get("/actuator/metrics/" + name);
		return new double[] { statistic(body, "COUNT"), statistic(body, "TOTAL") };
	}

	private static double statistic(String body, String statistic) {
		Matcher value = Pattern.compile("\"statistic\":\"" + statistic + "\",\"value\":([0-9.Ee+-]+)").matcher(body);
		return value.find() ? Double.parseDouble(value.group(1)) : 0;
	}

	/** Heap in use now, in bytes. */
	double heapUsed() throws Exception {
		return metric("jvm.memory.used?tag=area:heap");
	}

	private double metric(String path) throws Exception {
		Matcher value = Pattern.compile("\"value\":([0-9.Ee+-]+)").matcher(get("/actuator/metrics/" + path));
		return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
	}

	private String get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	/** Its process id. */
	public long pid() {
		return this.process.pid();
	}

	/** Its HTTP port. */
	public int port() {
		return this.port;
	}

	/** Kills it at once (SIGKILL): no clean shutdown, its lease is not given up. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	@Override
	public void close() throws Exception {
		this.process.destroy();
		this.process.waitFor();
	}

}
