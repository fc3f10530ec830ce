package io.rebound.client;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignaturesTests {

	/** The vector the Python client and Rebound are checked against too (openssl computed it). */
	static final String VECTOR = "v1=7f920e54be6c4a8861dc5a74bfd598ff01432eff9e8a9cb86fcc9d8b8f96f83e";

	static final byte[] BODY = "{\"attempt_id\":\"a-1\"}".getBytes(StandardCharsets.UTF_8);

	@Test
	void signsAsReboundAndThePythonClientDo() {
		assertThat(Signatures.sign("rbs_test", "POST", "/control/restart", "1700000000", BODY)).isEqualTo(VECTOR);
	}

	@Test
	void acceptsAFreshCorrectSignature() {
		assertThat(Signatures.refusal("rbs_test", "POST", "/control/restart", "1700000000", VECTOR, BODY,
				1700000100, 300))
			.isNull();
	}

	@Test
	void refusesUnsignedWronglySignedTamperedAndStaleCalls() {
		assertThat(Signatures.refusal("rbs_test", "POST", "/control/restart", null, null, BODY, 1700000000, 300))
			.isEqualTo("unsigned call");
		assertThat(Signatures.refusal("rbs_other", "POST", "/control/restart", "1700000000", VECTOR, BODY,
				1700000000, 300))
			.isEqualTo("wrong signature");
		assertThat(Signatures.refusal("rbs_test", "POST", "/control/reload", "1700000000", VECTOR, BODY, 1700000000,
				300))
			.as("the path is signed")
			.isEqualTo("wrong signature");
		assertThat(Signatures.refusal("rbs_test", "POST", "/control/restart", "1700000000", VECTOR, BODY,
				1700000301, 300))
			.startsWith("timestamp 1700000000 is 301 s from this host's clock");
		assertThat(Signatures.refusal(null, "POST", "/control/restart", "1700000000", VECTOR, BODY, 1700000000, 300))
			.contains("no control secret");
	}

}
