package io.rebound.errors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprinterTests {

	@Test
	void aFingerprintIsTheSha256OfItsInputsWhetherComputedOrRemembered() throws Exception {
		String expected = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256")
				.digest("v1\nagent-7\ntimeout\nRequest <n> timed out after <n> ms".getBytes(StandardCharsets.UTF_8)));

		Fingerprint first = Fingerprinter.of("agent-7", "timeout", "Request 12 timed out after 300 ms");
		Fingerprint again = Fingerprinter.of("agent-7", "timeout", "Request 99 timed out after 5000 ms");

		assertThat(first.value()).isEqualTo(expected);
		assertThat(again).isEqualTo(first);
		assertThat(first.errorId().version()).isEqualTo(8);
	}

	@Test
	void rememberedFingerprintsAreTheirOwnInputs() {
		Fingerprint timeout = Fingerprinter.of("agent-1", "timeout", "call 7 failed");
		Fingerprint refused = Fingerprinter.of("agent-1", "refused", "call 8 failed");
		Fingerprint other = Fingerprinter.of("agent-2", "timeout", "call 9 failed");

		assertThat(Fingerprinter.of("agent-1", "refused", "call 1 failed")).isEqualTo(refused);
		assertThat(refused.value()).isNotEqualTo(timeout.value()).isNotEqualTo(other.value());
		assertThat(refused.inputs().type()).isEqualTo("refused");
		assertThat(other.inputs().source()).isEqualTo("agent-2");
	}

}
