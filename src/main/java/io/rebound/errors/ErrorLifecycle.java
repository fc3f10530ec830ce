package io.rebound.errors;

import java.time.Instant;
import java.util.UUID;

import io.rebound.errors.ErrorController.ResolveRequest;
import io.rebound.web.ProblemException;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's changes to an error's status. Resolving is idempotent (a second resolve
 * records the newer note); a resolved error that gets a newer event regresses on ingest.
 */
@Component
class ErrorLifecycle {

	private final ErrorGroupRepository errors;

	ErrorLifecycle(ErrorGroupRepository errors) {
		this.errors = errors;
	}

	@Transactional
	void resolve(UUID id, ResolveRequest request) {
		find(id).resolve(request.by(), request.note(), Instant.now());
	}

	@Transactional
	void reopen(UUID id) {
		find(id).reopen(Instant.now());
	}

	private ErrorGroup find(UUID id) {
		return this.errors.lockById(id).orElseThrow(() -> ProblemException.notFound("Error", id));
	}

}
