package io.rebound.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Management calls (rules, keys, incidents, registrations) are small: a body announced
 * larger than 1 MiB is refused with {@code 413} before it is read.
 * {@code POST /api/errors} has its own, larger limit
 * ({@code rebound.ingest.max-request-size}).
 */
@Component
class BodySizeFilter extends OncePerRequestFilter {

	static final long MAX_BYTES = 1024 * 1024;

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > MAX_BYTES && !request.getRequestURI().equals("/api/errors")) {
			SecurityProblems.write(response, HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
					"The body is " + request.getContentLengthLong() + " bytes; this endpoint takes at most " + MAX_BYTES
							+ ".");
			return;
		}
		chain.doFilter(request, response);
	}

}
