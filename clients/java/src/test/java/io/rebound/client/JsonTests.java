package io.rebound.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonTests {

	@Test
	void writesWhatReadsBack() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
		value.put("n", 42L);
		value.put("x", 1.5);
		value.put("list", List.of(true, false));
		value.put("none", null);
		value.put("nested", Map.of("k", "v"));
		String json = Json.write(value);
		assertThat(json).contains("\\u0007").doesNotContain("\n");
		assertThat(Json.read(json)).isEqualTo(value);
	}

	@Test
	void writesNonFiniteNumbersAsNullAndOtherObjectsAsText() {
		assertThat(Json.write(Map.of("a", Double.NaN))).isEqualTo("{\"a\":null}");
		assertThat(Json.write(List.of(java.time.Duration.ofSeconds(3)))).isEqualTo("[\"PT3S\"]");
	}

	@Test
	void refusesWhatIsNotJson() {
		assertThatIllegalArgumentException().isThrownBy(() -> Json.read("{\"a\":"));
		assertThatIllegalArgumentException().isThrownBy(() -> Json.read("{} extra"));
		assertThatIllegalArgumentException().isThrownBy(() -> Json.read("nope"));
	}

}
