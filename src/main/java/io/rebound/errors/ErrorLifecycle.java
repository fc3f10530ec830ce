package io.rebound.errors;

import java.util.Map;
import java.util.UUID;

import io.rebound.errors.ErrorController.ResolveRequest;
import io.rebound.security.Audit;
import io.rebound.security.Caller;
import io.rebound.web.ProblemException;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's changes to an error's status. Resolving is idempotent (a second resolve
 * records the newer note); a resolved error that gets a newer event regresses on ingest.
 */
@Component
class ErrorLifecycle {

	private final JdbcTemplate jdbc;

	private final Audit audit;

	ErrorLifecycle(JdbcTemplate jdbc, Audit audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	@Transactional
	void resolve(UUID id, ResolveRequest request) {
		String by = (request.by() != null) ? request.by() : Caller.current().name();
		// the row lock keeps a concurrent ingest batch from regressing it mid-change
		found(id, this.jdbc.update("""
				UPDATE errors SET status = 'resolved', resolved_at = now(), resolved_by = ?, resolution_note = ?,
				    updated_at = now()
				WHERE id = ?
				""", by, request.note(), id));
		this.audit.record("error.resolve", id.toString(), Map.of("by", by, "note", String.valueOf(request.note())));
	}

	@Transactional
	void reopen(UUID id) {
		found(id, this.jdbc.update("""
				UPDATE errors SET status = 'open', resolved_at = NULL, resolved_by = NULL, resolution_note = NULL,
				    updated_at = now()
				WHERE id = ?
				""", id));
		this.audit.record("error.reopen", id.toString(), Map.of());
	}

	private static void found(UUID id, int updated) {
		if (updated == 0) {
			throw ProblemException.notFound("Error", id);
		}
	}

}
