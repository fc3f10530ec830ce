package io.rebound.security;

import io.rebound.web.ProblemException;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as problem details, like every other error: the filter chain answers before
 * any controller, so the advice cannot.
 */
final class SecurityProblems {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private SecurityProblems() {
	}

	static AuthenticationEntryPoint unauthenticated() {
		return (request, response, ex) -> write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
				"Authentication required",
				"Send an API key in the X-API-Key header (or as Authorization: Bearer), or a bearer token from the "
						+ "configured issuer.");
	}

	static AccessDeniedHandler forbidden() {
		return (request, response, ex) -> write(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Your role ("
				+ Caller.current().role() + ") may not " + request.getMethod() + " " + request.getRequestURI() + ".");
	}

	static void write(HttpServletResponse response, HttpStatus status, String slug, String title, String detail)
			throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(ProblemException.type(slug));
		problem.setTitle(title);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		if (status == HttpStatus.UNAUTHORIZED) {
			response.setHeader("WWW-Authenticate", "Bearer");
		}
		JSON.writeValue(response.getOutputStream(), problem);
	}

}
