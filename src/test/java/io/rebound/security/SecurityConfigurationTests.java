package io.rebound.security;

import io.rebound.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SecurityConfigurationTests {

	@Test
	void saysLoudlyWhenAuthenticationIsOff(CapturedOutput output) {
		new SecurityConfiguration(properties(false)).warnWhenOpen();

		assertThat(output.getOut()).contains("AUTHENTICATION IS OFF", "local development only");
	}

	@Test
	void saysNothingWhenAuthenticationIsOn(CapturedOutput output) {
		new SecurityConfiguration(properties(true)).warnWhenOpen();

		assertThat(output.getOut()).doesNotContain("AUTHENTICATION IS OFF");
	}

	private static SecurityProperties properties(boolean enabled) {
		return Settings.bind("rebound.security", SecurityProperties.class, "enabled=" + enabled);
	}

}
