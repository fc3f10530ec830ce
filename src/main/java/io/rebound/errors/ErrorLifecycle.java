package io.rebound.errors;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.rebound.errors.ErrorController.ResolveRequest;
import io.rebound.security.Audit;
import io.rebound.security.Caller;
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

	private final Audit audit;

	ErrorLifecycle(ErrorGroupRepository errors, Audit audit) {
		this.errors = errors;
		this.audit = audit;
	}

	@Transactional
	void resolve(UUID id, ResolveRequest request) {
		String by = (request.by() != null) ? request.by() : Caller.current().name();
		find(id).resolve(by, request.note(), Instant.now());
		this.audit.record("error.resolve", id.toString(), Map.of("by", by, "note", String.valueOf(request.note())));
	}

	@Transactional
	void reopen(UUID id) {
		find(id).reopen(Instant.now());
		this.audit.record("error.reopen", id.toString(), Map.of());
	}

	private ErrorGroup find(UUID id) {
		return this.errors.lockById(id).orElseThrow(() -> ProblemException.notFound("Error", id));
	}

}
