package io.rebound.security;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ControlSecretsTests {

	@Test
	void signsAsBothClientsCheck() {
		// the vector of the Python and Java clients' tests, computed independently with
		// printf 'POST\n/control/restart\n1700000000\n{"attempt_id":"a-1"}' | openssl
		// dgst -sha256 -hmac rbs_test
		assertThat(ControlSecrets.sign("rbs_test", "POST", "/control/restart", 1700000000L,
				"{\"attempt_id\":\"a-1\"}".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("v1=7f920e54be6c4a8861dc5a74bfd598ff01432eff9e8a9cb86fcc9d8b8f96f83e");
	}

}
