package io.rebound.agents;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.rebound.security.Caller;
import io.rebound.web.ProblemException;
import io.rebound.web.QueryParameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Task checkpoints, for the agent itself (its key) and operators; viewers read them.
 * {@code PUT} saves the next version of a task's checkpoint (a JSON object, kept as the
 * bytes sent); {@code GET} answers those bytes with their version and SHA-256 in headers
 * — after checking them against the SHA-256 they were saved with; a version whose bytes
 * no longer match is refused ({@code 409 checkpoint-corrupt}), never served.
 */
@RestController
@RequestMapping("/api/agents/{id}/checkpoints")
class CheckpointController {

	static final String VERSION = "X-Rebound-Checkpoint-Version";

	static final String SHA256 = "X-Rebound-Checkpoint-Sha256";

	private static final Pattern TASK = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private final Checkpoints checkpoints;

	private final AgentGraph agents;

	private final JsonMapper json;

	private final long maxSize;

	CheckpointController(Checkpoints checkpoints, AgentGraph agents, JsonMapper json, AgentsProperties properties) {
		this.checkpoints = checkpoints;
		this.agents = agents;
		this.json = json;
		this.maxSize = properties.checkpoints().maxSize().toBytes();
	}

	@PutMapping(path = "/{task}", consumes = MediaType.ALL_VALUE)
	ResponseEntity<Checkpoints.Saved> save(@PathVariable String id, @PathVariable String task,
			@RequestBody(required = false) byte[] body) {
		requireMayActAs(id);
		requireTask(task);
		requireAgent(id);
		if (body == null || body.length == 0) {
			throw invalid("The body must be the checkpoint: a JSON object.");
		}
		if (body.length > this.maxSize) {
			throw ProblemException.tooLarge("checkpoint-too-large", "Checkpoint too large",
					"The checkpoint is " + body.length + " bytes; at most " + this.maxSize
							+ " are kept (rebound.agents.checkpoints.max-size).");
		}
		try {
			JsonNode parsed = this.json.readTree(body);
			if (parsed == null || !parsed.isObject()) {
				throw invalid("The checkpoint must be a JSON object.");
			}
		}
		catch (JacksonException ex) {
			throw invalid("The checkpoint is not JSON: " + ex.getOriginalMessage());
		}
		Checkpoints.Saved saved = this.checkpoints.save(id, task, body, Caller.current().name());
		return ResponseEntity
			.created(URI.create("/api/agents/" + id + "/checkpoints/" + task + "?version=" + saved.version()))
			.header(VERSION, Integer.toString(saved.version()))
			.header(SHA256, saved.sha256())
			.body(saved);
	}

	@GetMapping("/{task}")
	ResponseEntity<byte[]> read(@PathVariable String id, @PathVariable String task,
			@RequestParam Map<String, String> params) {
		requireMayActAs(id);
		requireTask(task);
		QueryParameters query = new QueryParameters(params, Set.of("version"));
		Integer version = query.choice("version", (v) -> v.matches("[1-9][0-9]{0,8}") ? Integer.valueOf(v) : null,
				List.of("a version number"));
		Checkpoints.Stored stored = this.checkpoints.read(id, task, version)
			.orElseThrow(() -> ProblemException.notFound("Checkpoint",
					id + "/" + task + ((version != null) ? " version " + version : "")));
		Checkpoints.Saved saved = stored.saved();
		if (!stored.intact()) {
			throw new ProblemException(HttpStatus.CONFLICT, "checkpoint-corrupt", "Checkpoint corrupt",
					"Version " + saved.version() + " of " + id + "/" + task
							+ " no longer has the SHA-256 it was saved with; it is not served. Read an earlier one"
							+ " (GET …/versions, then ?version=).",
					Map.of("version", saved.version(), "sha256", saved.sha256()));
		}
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.header(VERSION, Integer.toString(saved.version()))
			.header(SHA256, saved.sha256())
			.eTag("\"" + saved.sha256() + "\"")
			.body(stored.body());
	}

	/** The newest version of each task. */
	@GetMapping
	List<Checkpoints.Saved> list(@PathVariable String id) {
		requireMayActAs(id);
		return this.checkpoints.latest(id);
	}

	@GetMapping("/{task}/versions")
	List<Checkpoints.Saved> versions(@PathVariable String id, @PathVariable String task) {
		requireMayActAs(id);
		requireTask(task);
		List<Checkpoints.Saved> versions = this.checkpoints.versions(id, task);
		if (versions.isEmpty()) {
			throw ProblemException.notFound("Checkpoint", id + "/" + task);
		}
		return versions;
	}

	/** Drops every version of a task: it succeeded, or is abandoned. */
	@DeleteMapping("/{task}")
	ResponseEntity<Void> delete(@PathVariable String id, @PathVariable String task) {
		requireMayActAs(id);
		requireTask(task);
		if (this.checkpoints.delete(id, task) == 0) {
			throw ProblemException.notFound("Checkpoint", id + "/" + task);
		}
		return ResponseEntity.noContent().build();
	}

	private void requireAgent(String id) {
		if (this.agents.node(id).isEmpty()) {
			throw ProblemException.notFound("Agent", id);
		}
	}

	/** Agent keys reach their own agents' checkpoints only (the filters check roles). */
	private static void requireMayActAs(String id) {
		if (!Caller.current().mayActAs(id)) {
			throw forbidden(id);
		}
	}

	private static void requireTask(String task) {
		if (!TASK.matcher(task).matches()) {
			throw ProblemException.badRequest("invalid-task", "Invalid task",
					"'" + task + "' is not a task name ([A-Za-z0-9._:-]{1,128}).");
		}
	}

	private static ProblemException invalid(String detail) {
		return ProblemException.badRequest("invalid-checkpoint", "Invalid checkpoint", detail);
	}

	private static ProblemException forbidden(String id) {
		return new ProblemException(HttpStatus.FORBIDDEN, "forbidden-agent", "Forbidden agent",
				"This key may not read or change the checkpoints of agent '" + id + "'.", null);
	}

}
