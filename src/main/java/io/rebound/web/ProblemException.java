package io.rebound.web;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A failure the caller can act on, answered as RFC 9457 problem details. The {@code type}
 * is {@code urn:rebound:problem:<slug>} and stays stable across versions.
 */
public class ProblemException extends RuntimeException {

	private final transient ProblemDetail problem;

	private Duration retryAfter;

	public ProblemException(HttpStatus status, String slug, String title, String detail,
			Map<String, Object> properties) {
		super(detail);
		this.problem = ProblemDetail.forStatusAndDetail(status, detail);
		this.problem.setType(type(slug));
		this.problem.setTitle(title);
		if (properties != null) {
			properties.forEach(this.problem::setProperty);
		}
	}

	public static ProblemException badRequest(String slug, String title, String detail) {
		return new ProblemException(HttpStatus.BAD_REQUEST, slug, title, detail, null);
	}

	public static ProblemException notFound(String what, Object id) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", what + " not found",
				"No " + what.toLowerCase(java.util.Locale.ROOT) + " has the id '" + id + "'.", null);
	}

	public static ProblemException tooLarge(String slug, String title, String detail) {
		return new ProblemException(HttpStatus.CONTENT_TOO_LARGE, slug, title, detail, null);
	}

	/** A 503: the caller should try again after {@code retryAfter}. */
	public static ProblemException unavailable(String slug, String title, String detail, Duration retryAfter) {
		ProblemException ex = new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, slug, title, detail, null);
		ex.retryAfter = retryAfter;
		return ex;
	}

	/** When to try again, or {@code null}. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	public ProblemDetail problem() {
		return this.problem;
	}

	public static URI type(String slug) {
		return URI.create("urn:rebound:problem:" + slug);
	}

}
