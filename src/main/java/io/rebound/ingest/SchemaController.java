package io.rebound.ingest;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the event contract's JSON Schema: the same file the validator uses.
 */
@RestController
class SchemaController {

	private static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");

	@GetMapping("/api/schemas/error-event-v1.json")
	ResponseEntity<Resource> errorEventSchema() {
		return ResponseEntity.ok().contentType(SCHEMA_JSON).body(new ClassPathResource(EventContract.SCHEMA));
	}

}
