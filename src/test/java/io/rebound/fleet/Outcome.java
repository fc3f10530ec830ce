package io.rebound.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.rebound.Http;
import tools.jackson.databind.JsonNode;

/**
 * One injected fault and what became of it: the first incident holding its agent's (or
 * agents') errors that Rebound opened after the injection, or the active one they joined,
 * and that incident's recovery run — judged against what the agents know, so a run
 * Rebound verified while the fault still lasted is a false recovery. Times are from the
 * injection, on this machine's clock, which Rebound's shares here.
 */
final class Outcome {

	static final String HEADER = String.format("%-17s %-22s %9s %5s  %-44s %10s  %s", "fault", "agent", "detected",
			"level", "actions", "recovered", "outcome");

	final Fault kind;

	final FleetAgent target;

	final Instant at;

	final List<FleetAgent> involved;

	private boolean settled;

	Double detectedAfter;

	Double recoveredAfter;

	int level;

	int attempts;

	String actions = "";

	String status = "none";

	String result = "";

	boolean falseRecovery;

	/** The run's reason and its attempts' evidence, to tell why it ended as it did. */
	String evidence = "";

	Outcome(Fault kind, FleetAgent target, Instant at, List<FleetAgent> involved) {
		this.kind = kind;
		this.target = target;
		this.at = at;
		this.involved = List.copyOf(involved);
	}

	boolean settled() {
		return this.settled;
	}

	/** Looks at Rebound again; whether the fault's run ended now. */
	boolean judge(Http rebound) {
		for (FleetAgent agent : this.involved) {
			// the first incident the agent is in (as root or member) that opened after
			// the
			// injection, or that was still active: a fault whose errors joined an
			// incident
			// of another agent's (the same cause) is judged by that incident
			JsonNode incident = null;
			JsonNode incidents = rebound.get("/api/incidents?agent=" + agent.id + "&limit=50").json().get("items");
			for (int i = incidents.size() - 1; i >= 0 && incident == null; i--) {
				JsonNode candidate = incidents.get(i);
				boolean after = !Instant.parse(candidate.get("opened_at").asString()).isBefore(this.at.minusSeconds(2));
				boolean active = List.of("open", "mitigating").contains(candidate.get("status").asString());
				incident = (after || active) ? candidate : null;
			}
			if (incident == null) {
				continue;
			}
			Instant opened = Instant.parse(incident.get("opened_at").asString());
			// joined an incident opened before: detected, but not by an incident of its
			// own
			this.detectedAfter = opened.isBefore(this.at) ? null : seconds(opened);
			Http.Response found = rebound.get("/api/recovery/runs?incident_id=" + incident.get("id").asString());
			if (found.status() != 200) {
				return false;
			}
			JsonNode run = found.json();
			this.status = run.get("run").get("status").asString();
			this.level = run.get("run").get("level").asInt();
			this.attempts = run.get("attempts").size();
			this.actions = run.get("attempts")
				.valueStream()
				.map((a) -> a.get("strategy").asString())
				.collect(Collectors.joining(">"));
			this.evidence = run.get("run").get("reason").asString() + "; attempts: " + run.get("attempts")
				.valueStream()
				.map((a) -> a.get("strategy").asString() + " " + a.get("outcome").asString() + " " + a.get("evidence"))
				.collect(Collectors.joining("; "));
			if (this.status.equals("running")) {
				return false;
			}
			if (this.status.equals("succeeded")) {
				Instant ended = Instant.parse(run.get("run").get("ended_at").asString());
				this.recoveredAfter = seconds(ended);
				this.falseRecovery = this.involved.stream().anyMatch((a) -> a.brokenAt(ended));
				this.result = this.falseRecovery ? "FALSE RECOVERY" : "recovered";
			}
			else {
				this.result = this.status.startsWith("waiting") ? "to a person" : this.status;
			}
			this.settled = true;
			return true;
		}
		return false;
	}

	/** The deadline passed: it ends as it stands. */
	void giveUp(Http rebound) {
		judge(rebound);
		if (!this.settled) {
			this.result = (this.detectedAfter == null) ? "not detected" : "not recovered";
			this.settled = true;
		}
	}

	boolean recovered() {
		return "recovered".equals(this.result);
	}

	boolean toPerson() {
		return "to a person".equals(this.result);
	}

	/**
	 * A curable fault not recovered, or taken past the level that cures it; an uncurable
	 * one is never unnecessary (climbing is how it reaches a person).
	 */
	boolean unnecessaryEscalation() {
		return this.kind.curable() && (!recovered() || this.level > this.kind.cureLevel);
	}

	private double seconds(Instant then) {
		return Duration.between(this.at, then).toMillis() / 1000.0;
	}

	String row() {
		return String.format("%-17s %-22s %9s %5s  %-44s %10s  %s", this.kind.label, this.target.id,
				(this.detectedAfter != null) ? String.format("%.1f s", this.detectedAfter) : "-",
				(this.level > 0) ? "L" + this.level : "-", abbreviate(this.actions.isEmpty() ? "(none)" : this.actions),
				(this.recoveredAfter != null) ? String.format("%.1f s", this.recoveredAfter) : "-", this.result);
	}

	private static String abbreviate(String text) {
		return (text.length() <= 44) ? text : text.substring(0, 41) + "...";
	}

}
