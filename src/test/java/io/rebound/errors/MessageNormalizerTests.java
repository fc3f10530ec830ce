package io.rebound.errors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MessageNormalizerTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			Connection refused to 10.0.0.7:5432 after 3 retries | Connection refused to <ip> after <n> retries
			Request 6f1c1f8e-2f59-4c1b-9a8e-6b0b7d3f9a11 failed | Request <uuid> failed
			at 2026-11-22T14:03:07.123456+02:00 the job died | at <ts> the job died
			at 2026-11-22 14:03:07 the job died | at <ts> the job died
			GET https://api.example.com/v1/items?id=7 returned 503 | GET <url> returned <n>
			cannot open /var/lib/agent/state-17.db | cannot open <path>
			cannot open C:\\agents\\planner\\state.db | cannot open <path>
			pointer 0x7ffd5e8c3a10 is invalid | pointer <hex> is invalid
			commit deadbeef1234 missing | commit <hex> missing
			key 'user:42' not found | key <str> not found
			key "user:42" not found | key <str> not found
			took -3.5e-2 s, limit 1,000 | took <n> s, limit <n>
			peer fe80:0:0:0:200:f8ff:fe21:67cf gone | peer <ip> gone
			utf8 and http2 keep their digits | utf8 and http2 keep their digits
			agent-007 crashed | agent-<n> crashed
			""")
	void replacesVolatileParts(String message, String normalized) {
		assertThat(MessageNormalizer.normalize(message)).isEqualTo(normalized);
	}

	@Test
	void collapsesWhitespaceAndTrims() {
		assertThat(MessageNormalizer.normalize("  worker\t\tdied \n again ")).isEqualTo("worker died again");
	}

	@Test
	void onlyTheHeadOfALongMessageCounts() {
		String head = "x".repeat(MessageNormalizer.MAX_LENGTH);
		assertThat(MessageNormalizer.normalize(head + " first tail"))
			.isEqualTo(MessageNormalizer.normalize(head + " second tail"));
	}

	@Test
	void repeatsOfOneFailureShareAFingerprintAndOthersDoNot() {
		Fingerprint first = Fingerprinter.of("planner-1", "timeout", "Request 17 timed out after 30s");
		Fingerprint second = Fingerprinter.of("planner-1", "timeout", "Request 9001 timed out after 45s");

		assertThat(second.value()).isEqualTo(first.value());
		assertThat(second.errorId()).isEqualTo(first.errorId());
		assertThat(Fingerprinter.of("planner-2", "timeout", "Request 17 timed out after 30s").errorId())
			.isNotEqualTo(first.errorId());
		assertThat(Fingerprinter.of("planner-1", "crash", "Request 17 timed out after 30s").errorId())
			.isNotEqualTo(first.errorId());
	}

	@Test
	void fingerprintsAreStableAcrossVersions() {
		// a change here breaks every stored error's identity: it needs a new
		// Fingerprinter.VERSION
		Fingerprint fingerprint = Fingerprinter.of("planner-1", "timeout", "Request 17 timed out after 30s");
		assertThat(fingerprint.inputs().message()).isEqualTo("Request <n> timed out after <n>s");
		assertThat(fingerprint.errorId().version()).isEqualTo(8);
		assertThat(fingerprint.value()).hasSize(64);
		assertThat(fingerprint.errorId().toString().replace("-", "").substring(0, 12))
			.isEqualTo(fingerprint.value().substring(0, 12));
	}

}
