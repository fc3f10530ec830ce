package io.rebound.diagnostics;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/diagnostics}: the report; {@code POST /api/diagnostics/run}: the active
 * checks first (PostgreSQL, Kafka, every agent's health probe), then the report with how
 * long each check took.
 */
@RestController
@RequestMapping("/api/diagnostics")
class DiagnosticsController {

	private final Diagnostics diagnostics;

	DiagnosticsController(Diagnostics diagnostics) {
		this.diagnostics = diagnostics;
	}

	@GetMapping
	DiagnosticsReport report() {
		return this.diagnostics.report(List.of());
	}

	@PostMapping("/run")
	DiagnosticsReport run() {
		return this.diagnostics.report(this.diagnostics.runChecks());
	}

}
