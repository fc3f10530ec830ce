package io.rebound.recovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

/**
 * Runs a command template named in configuration ({@code rebound.recovery.commands}): the
 * template's arguments with {@code {agent}}, {@code {incident}}, {@code {level}} and
 * {@code {verb}} filled in, started directly — never through a shell, so a value is one
 * argument whatever it holds. Values come from the registry and the ladder, never from an
 * event's text; a value that could pass for an option ({@code -…}) or holds a control
 * character is refused. Exit status 0 is success.
 */
@Component
class CommandExecutor implements Executor {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{(agent|incident|level|verb)}");

	private static final int OUTPUT_LIMIT = 1024;

	private final Map<String, List<String>> templates;

	CommandExecutor(RecoveryProperties properties) {
		this.templates = properties.commands();
	}

	@Override
	public String kind() {
		return "command";
	}

	@Override
	public Outcome execute(Strategy.Action action, Context context, Duration timeout) {
		List<String> template = this.templates.get(action.address());
		if (template == null || template.isEmpty()) {
			return new Outcome(false, "no command template '" + action.address() + "'");
		}
		Map<String, String> values = Map.of("agent", action.agent(), "incident", context.incidentId().toString(),
				"level", Integer.toString(context.level()), "verb", action.verb());
		for (Map.Entry<String, String> value : values.entrySet()) {
			if (value.getValue().startsWith("-") || value.getValue().chars().anyMatch(Character::isISOControl)) {
				return new Outcome(false, "refused: {" + value.getKey() + "} would be '" + value.getValue()
						+ "', which could pass for an option or holds a control character");
			}
		}
		List<String> argv = new ArrayList<>();
		for (String argument : template) {
			Matcher m = PLACEHOLDER.matcher(argument);
			argv.add(m.replaceAll((r) -> Matcher.quoteReplacement(values.get(r.group(1)))));
		}
		String shown = "command " + action.address() + " " + argv;
		Path log = null;
		try {
			// output goes to a file, so a chatty command never blocks on a full pipe
			log = Files.createTempFile("rebound-command-", ".log");
			Process process = new ProcessBuilder(argv).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
				.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return new Outcome(false, shown + " timed out after " + timeout);
			}
			String output = head(log);
			return new Outcome(process.exitValue() == 0,
					shown + " -> exit " + process.exitValue() + (output.isBlank() ? "" : ": " + output.strip()));
		}
		catch (IOException ex) {
			return new Outcome(false, shown + " could not start: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome(false, shown + " interrupted");
		}
		finally {
			if (log != null) {
				log.toFile().delete();
			}
		}
	}

	private static String head(Path log) throws IOException {
		try (InputStream output = Files.newInputStream(log)) {
			return new String(output.readNBytes(OUTPUT_LIMIT), StandardCharsets.UTF_8);
		}
	}

}
