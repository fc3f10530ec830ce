package io.rebound.errors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class CategoryInferenceTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			connection_error | Connection refused to db:5432          | DATABASE
			connection_error | Connection refused by upstream         | NETWORK
			timeout          | LLM call timed out                     | NETWORK
			auth_error       | 401 Unauthorized from the API          | SECURITY
			crash            | Permission denied opening the socket   | SECURITY
			oom              | Out of memory while loading the model  | RESOURCE
			io_error         | No space left on device                | RESOURCE
			rate_limited     | Upstream answered 429 Too Many Requests | RESOURCE
			config_error     | Missing key 'api_url' in settings.yaml | CONFIGURATION
			worker_crash     | Worker process exited with signal 9    | WORKER
			crash            | Segmentation fault                     | SYSTEM
			bad_payload      | Validation failed for field name       | INPUT
			gpu              | CUDA device lost                       | HARDWARE
			mystery          | Something odd happened                 | UNKNOWN
			""")
	void infersTheCategoryOfTheStrongestSignal(String type, String message, Category expected) {
		assertThat(CategoryInference.infer(type, message)).isEqualTo(expected);
	}

}
