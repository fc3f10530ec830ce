package io.rebound.security;

import io.rebound.web.QueryParameters;
import io.rebound.web.Cursor;
import io.rebound.web.Page;

import java.util.Map;
import java.util.Set;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/audit}: operators' actions, newest first, for operators. */
@RestController
class AuditController {

	private static final Set<String> PARAMETERS = Set.of("actor", "action", "since", "limit", "cursor");

	private final AuditLog log;

	AuditController(AuditLog log) {
		this.log = log;
	}

	@GetMapping("/api/audit")
	Page<AuditLog.Entry> list(@RequestParam Map<String, String> params) {
		QueryParameters query = new QueryParameters(params, PARAMETERS);
		Cursor cursor = (query.cursor() != null) ? Cursor.decode(AuditLog.LISTING, query.cursor(), 1) : null;
		return this.log.page(query.text("actor"), query.text("action"), query.instant("since"),
				(cursor != null) ? cursor.number(0) : null, query.limit());
	}

}
