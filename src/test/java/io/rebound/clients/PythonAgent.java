package io.rebound.clients;

import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Python process built on {@code clients/python} (the client on its
 * {@code PYTHONPATH}), run by the interpreter that has the Debian packages:
 * {@code /usr/bin/python3} unless {@code -Drebound.python} names another. Its output goes
 * to a file under {@code target/python}.
 */
final class PythonAgent implements AutoCloseable {

	static final Path CLIENT = Path.of("clients/python").toAbsolutePath();

	private final Process process;

	private final Path log;

	private final Writer stdin;

	private PythonAgent(Process process, Path log) {
		this.process = process;
		this.log = log;
		this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
	}

	static String interpreter() {
		String configured = System.getProperty("rebound.python");
		if (configured != null) {
			return configured;
		}
		return new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
	}

	/** Whether the interpreter can import the module. */
	static boolean has(String module) {
		try {
			Process check = new ProcessBuilder(interpreter(), "-c", "import " + module).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Starts {@code python3 <args>} in {@code clients/python} with these variables. */
	static PythonAgent start(String name, Map<String, String> env, String... args) throws IOException {
		Path log = Files.createDirectories(Path.of("target/python")).resolve(name + ".log");
		List<String> command = new ArrayList<>(List.of(interpreter(), "-u"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> variables = new LinkedHashMap<>(env);
		variables.put("PYTHONPATH", CLIENT.toString());
		variables.put("REBOUND_SPOOL_DIR",
				Files.createDirectories(Path.of("target/python/spool").resolve(name)).toAbsolutePath().toString());
		builder.environment().putAll(variables);
		return new PythonAgent(builder.start(), log);
	}

	/** Sends a line to its standard input. */
	void say(String line) throws IOException {
		this.stdin.write(line + "\n");
		this.stdin.flush();
	}

	/** What it printed so far. */
	String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no output: " + ex + ")";
		}
	}

	/** Waits for it to end by itself; its exit code. */
	int waitFor(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			this.process.destroyForcibly();
			throw new IllegalStateException("the Python agent did not end within " + timeout + ":\n" + output());
		}
		return this.process.exitValue();
	}

	/** Asks it to stop (SIGTERM), as an orchestrator would; its exit code. */
	int stop() throws InterruptedException {
		this.process.destroy();
		return waitFor(Duration.ofSeconds(20));
	}

	@Override
	public void close() {
		this.process.descendants().forEach(ProcessHandle::destroyForcibly);
		this.process.destroyForcibly();
	}

}
