package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rebound.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code command} executor with real processes: only named templates, values filled
 * in as single arguments with no shell in between, option-like values refused, a timeout
 * that kills.
 */
class CommandExecutorTests {

	static final UUID INCIDENT = UUID.fromString("00000000-0000-0000-0000-000000000042");

	CommandExecutor executor = new CommandExecutor(
			properties(Map.of("show", List.of("printf", "[%s]", "{agent}", "{verb}", "{level}", "{incident}"), "fail",
					List.of("false"), "slow", List.of("sleep", "5"))));

	@Test
	void aTemplateRunsWithItsPlaceholdersFilledIn() {
		Executor.Outcome outcome = this.executor.execute(action("show", "worker-7"),
				new Executor.Context(INCIDENT, 3, "restart"), Duration.ofSeconds(5));

		assertThat(outcome.accepted()).as(outcome.detail()).isTrue();
		assertThat(outcome.detail()).endsWith("exit 0: [worker-7][restart][3][" + INCIDENT + "]");
	}

	@Test
	void aValueIsOneArgumentWhateverItHoldsNoShellReadsIt() {
		Executor.Outcome outcome = this.executor.execute(action("show", "a b;touch /tmp/pwned-$(id -u)`x`"),
				new Executor.Context(INCIDENT, 3, "restart"), Duration.ofSeconds(5));

		assertThat(outcome.accepted()).isTrue();
		assertThat(outcome.detail()).contains("[a b;touch /tmp/pwned-$(id -u)`x`][restart]");
		assertThat(new java.io.File("/tmp/pwned-" + new com.sun.security.auth.module.UnixSystem().getUid()))
			.doesNotExist();
	}

	@Test
	void aValueThatCouldPassForAnOptionIsRefused() {
		Executor.Outcome outcome = this.executor.execute(action("show", "--help"),
				new Executor.Context(INCIDENT, 3, "restart"), Duration.ofSeconds(5));

		assertThat(outcome.accepted()).isFalse();
		assertThat(outcome.detail()).startsWith("refused: {agent}");
	}

	@Test
	void aNonZeroExitAnUnknownTemplateAndATimeoutAreFailedActions() {
		Executor.Context context = new Executor.Context(INCIDENT, 3, "restart");

		Executor.Outcome failed = this.executor.execute(action("fail", "w"), context, Duration.ofSeconds(5));
		Executor.Outcome unknown = this.executor.execute(action("rm-everything", "w"), context, Duration.ofSeconds(5));
		long started = System.nanoTime();
		Executor.Outcome slow = this.executor.execute(action("slow", "w"), context, Duration.ofMillis(300));

		assertThat(failed.accepted()).isFalse();
		assertThat(failed.detail()).contains("exit 1");
		assertThat(unknown.accepted()).isFalse();
		assertThat(unknown.detail()).isEqualTo("no command template 'rm-everything'");
		assertThat(slow.accepted()).isFalse();
		assertThat(slow.detail()).contains("timed out");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
	}

	private static Strategy.Action action(String template, String agent) {
		return new Strategy.Action("command", agent, "restart", template, Map.of());
	}

	static RecoveryProperties properties(Map<String, List<String>> commands) {
		List<String> pairs = new java.util.ArrayList<>();
		commands.forEach((name, arguments) -> {
			for (int i = 0; i < arguments.size(); i++) {
				pairs.add("commands." + name + "[" + i + "]=" + arguments.get(i));
			}
		});
		return Settings.bind("rebound.recovery", RecoveryProperties.class, pairs.toArray(String[]::new));
	}

}
