package io.rebound.clients;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python client's own unit tests, run with the interpreter the client is tested with.
 * They need no Rebound, so they run beside the rest of the suite.
 */
@Execution(ExecutionMode.CONCURRENT)
class PythonClientUnitTests {

	@Test
	void theClientsOwnUnitTestsPass() throws Exception {
		try (PythonAgent tests = PythonAgent.start("unittest", Map.of(), "-m", "unittest", "discover", "-s", "tests",
				"-t", ".", "-v")) {
			int exit = tests.waitFor(Duration.ofMinutes(2));
			System.out.println(tests.output());
			assertThat(exit).as(tests::output).isZero();
			assertThat(tests.output()).contains("OK").doesNotContain("skipped");
		}
	}

}
