package io.rebound.security;

import java.io.IOException;
import java.time.Duration;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-caller rate limits (Resilience4j), after authentication: each key or token gets
 * {@code rebound.security.requests-per-second} calls per second; beyond, {@code 429} with
 * {@code Retry-After}, and the call does nothing. Calls without a caller (health probes)
 * are not limited here.
 */
final class RateLimitFilter extends OncePerRequestFilter {

	private final RateLimiterRegistry limiters;

	RateLimitFilter(int perSecond) {
		this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
			.limitForPeriod(perSecond)
			.limitRefreshPeriod(Duration.ofSeconds(1))
			.timeoutDuration(Duration.ZERO)
			.build());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Caller caller = Caller.current();
		if (caller.via().startsWith("key:") || caller.via().startsWith("jwt:")) {
			RateLimiter limiter = this.limiters.rateLimiter(caller.via());
			if (!limiter.acquirePermission()) {
				response.setHeader("Retry-After", "1");
				SecurityProblems.write(response, HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
						"This key or token made more than " + limiter.getRateLimiterConfig().getLimitForPeriod()
								+ " calls in a second; try again after the Retry-After header's seconds.");
				return;
			}
		}
		chain.doFilter(request, response);
	}

}
