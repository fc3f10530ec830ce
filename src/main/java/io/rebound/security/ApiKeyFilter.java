package io.rebound.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API keys, sent as {@code X-API-Key} or
 * {@code Authorization: Bearer rbk_…}. A key that is wrong or revoked is a 401 at once; a
 * bearer token that is not a key is left to the JWT resource server.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

	private final ApiKeys keys;

	ApiKeyFilter(ApiKeys keys) {
		this.keys = keys;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getHeader("X-API-Key");
		String authorization = request.getHeader("Authorization");
		if (key == null && authorization != null && authorization.startsWith("Bearer rbk_")) {
			key = authorization.substring("Bearer ".length()).strip();
		}
		if (key != null) {
			Optional<Caller> caller = this.keys.authenticate(key.strip());
			if (caller.isEmpty()) {
				// never echo the key: it may be a real one sent to the wrong place
				SecurityProblems.write(response, HttpStatus.UNAUTHORIZED, "invalid-key", "Invalid API key",
						"The API key is unknown, malformed or revoked.");
				return;
			}
			SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(caller.get()));
		}
		chain.doFilter(request, response);
	}

}
