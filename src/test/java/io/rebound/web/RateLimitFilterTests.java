package io.rebound.web;

import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
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

	@Property(tries = 200)
	void onlyWellFormedKeysHaveAPrefix(@ForAll @StringLength(max = 80) String text) {
		String prefix = ApiKeys.prefixOf(text);
		if (prefix != null) {
			assertThat(text).startsWith("rbk_" + prefix + "_");
			assertThat(prefix).matches("[A-Za-z0-9]{8}");
		}
	}

}
