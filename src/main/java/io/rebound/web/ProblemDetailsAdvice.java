package io.rebound.web;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place errors leave Rebound over REST: always {@code application/problem+json},
 * never a stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	@ExceptionHandler(ProblemException.class)
	ResponseEntity<ProblemDetail> problem(ProblemException ex) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.problem().getStatus());
		if (ex.retryAfter() != null) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.retryAfter().toSeconds())));
		}
		return response.body(ex.problem());
	}

	/**
	 * Spring Security's firewall refuses some requests only once their parameters are
	 * read.
	 */
	@ExceptionHandler(RequestRejectedException.class)
	ResponseEntity<ProblemDetail> rejected(RequestRejectedException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request was refused: " + ex.getMessage());
		problem.setType(ProblemException.type("rejected-request"));
		problem.setTitle("Request rejected");
		return ResponseEntity.badRequest().body(problem);
	}

	/** Tomcat refuses a query string it cannot parse once the parameters are read. */
	@ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
	ResponseEntity<ProblemDetail> unparseable(org.apache.tomcat.util.http.InvalidParameterException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The query string cannot be read: " + ex.getMessage());
		problem.setType(ProblemException.type("invalid-parameter"));
		problem.setTitle("Invalid parameter");
		return ResponseEntity.badRequest().body(problem);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		log.error("Unexpected failure answering a request", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"Rebound failed to answer this request; the failure is in its log. Try again later.");
		problem.setType(ProblemException.type("internal-error"));
		problem.setTitle("Internal error");
		return ResponseEntity.internalServerError().body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadable(ex));
		problem.setType(ProblemException.type("malformed-json"));
		problem.setTitle("Malformed request body");
		return ResponseEntity.badRequest().body(problem);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: ex.getPropertyName();
		String expected = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName().toLowerCase(Locale.ROOT)
				: "another type";
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"'" + ex.getValue() + "' is not a valid value for '" + name + "': expected a " + expected + ".");
		problem.setType(ProblemException.type("invalid-parameter"));
		problem.setTitle("Invalid parameter");
		return ResponseEntity.badRequest().body(problem);
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		if (body instanceof ProblemDetail problem
				&& (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
			problem.setType(ProblemException.type("http-" + status.value()));
		}
		return super.createResponseEntity(body, headers, status, request);
	}

	static String unreadable(HttpMessageNotReadableException ex) {
		if (ex.getCause() instanceof JacksonException json) {
			return "The body is not valid JSON" + ProblemLocation.of(json) + ": " + json.getOriginalMessage();
		}
		return "The request body is missing or cannot be read.";
	}

}
