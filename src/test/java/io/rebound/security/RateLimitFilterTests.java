package io.rebound.security;

import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitFilterTests {

	@AfterEach
	void clear() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void aKeyOverItsRateGets429WithRetryAfterAndTheCallDoesNothing() throws Exception {
		RateLimitFilter filter = new RateLimitFilter(2);
		SecurityContextHolder.getContext()
			.setAuthentication(new CallerAuthentication(new Caller("ops", "operator", Set.of(), "key:abcdefgh")));

		int[] passed = new int[1];
		MockHttpServletResponse last = null;
		for (int i = 0; i < 3; i++) {
			last = new MockHttpServletResponse();
			filter.doFilter(new MockHttpServletRequest("GET", "/api/errors"), last,
					new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
						@Override
						protected void service(jakarta.servlet.http.HttpServletRequest req,
								jakarta.servlet.http.HttpServletResponse resp) {
							passed[0]++;
						}
					}));
		}

		assertThat(passed[0]).isEqualTo(2);
		assertThat(last.getStatus()).isEqualTo(429);
		assertThat(last.getHeader("Retry-After")).isEqualTo("1");
		assertThat(last.getContentType()).startsWith("application/problem+json");
		assertThat(last.getContentAsString()).contains("urn:rebound:problem:rate-limited");
	}

	@Test
	void onlyWellFormedKeysHaveAPrefix() {
		// any text up to 80 chars, and well-formed keys with up to three characters
		// changed or the end cut off
		long seed = Long.getLong("rebound.fuzz.seed", new Random().nextLong());
		Random random = new Random(seed);
		String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
		String nearby = alnum + "_-/.~ \u0000\u00e9\ud83d";
		int withPrefix = 0;
		for (int i = 0; i < 400; i++) {
			StringBuilder text = new StringBuilder();
			if (i % 2 == 0) {
				int length = random.nextInt(81);
				for (int c = 0; c < length; c++) {
					text.append((char) random.nextInt(Character.MAX_VALUE + 1));
				}
			}
			else {
				text.append("rbk_");
				for (int c = 0; c < 8 + 1 + 32; c++) {
					text.append((c == 8) ? '_' : alnum.charAt(random.nextInt(alnum.length())));
				}
				for (int changes = random.nextInt(4); changes > 0; changes--) {
					text.setCharAt(random.nextInt(text.length()), nearby.charAt(random.nextInt(nearby.length())));
				}
				if (random.nextInt(4) == 0) {
					text.setLength(random.nextInt(text.length()));
				}
			}
			String prefix = ApiKeys.prefixOf(text.toString());
			if (prefix != null) {
				withPrefix++;
				assertThat(text.toString()).as("seed " + seed).startsWith("rbk_" + prefix + "_").hasSizeGreaterThan(44);
				assertThat(prefix).as("seed " + seed).matches("[A-Za-z0-9]{8}");
			}
		}
		assertThat(withPrefix).as("well-formed keys among them (seed " + seed + ")").isPositive();
	}

}
