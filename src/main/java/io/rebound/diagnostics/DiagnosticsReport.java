package io.rebound.diagnostics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.rebound.agents.AgentOverview;
import io.rebound.agents.AgentOverview.LogPosition;
import io.rebound.agents.AgentOverview.Troubled;
import io.rebound.agents.HealthState;
import io.rebound.errors.OpenErrors;
import io.rebound.errors.Severity;
import io.rebound.ingest.BusStatus.DeadLetterTopic;
import io.rebound.ingest.BusStatus.Member;
import io.rebound.ingest.BusStatus.PartitionLag;

/**
 * The diagnostics report; field names become snake_case in JSON. A section that could not
 * be read carries an {@code error} saying why instead of its figures.
 */
record DiagnosticsReport(Instant generatedAt, Instance instance, Bus bus, Postgres postgres, Agents agents,
		Errors errors, List<LogPosition> logScanner, List<Check> checks) {

	record Instance(String host, long pid, Instant startedAt, long uptimeSeconds, String version,
			String recoveryLeader) {
	}

	record Bus(List<Member> consumers, List<PartitionLag> consumerLag, Long totalLag, List<DeadLetterTopic> deadLetters,
			String error) {
	}

	record Pool(int active, int idle, int total, int waiting, int max) {
	}

	record Migrations(String current, int applied, int pending) {
	}

	record Postgres(boolean reachable, String version, Pool pool, Migrations migrations, Long databaseBytes,
			List<TableSizes.TableSize> tables, String error) {
	}

	record Agents(Map<HealthState, Long> byState, List<Troubled> worst, List<AgentOverview.Skewed> clockSkewed,
			String error) {
	}

	record Errors(Map<Severity, Long> openBySeverity, List<OpenErrors.Suppressed> suppressed, String error) {
	}

	/**
	 * An active check run by {@code POST /api/diagnostics/run}.
	 *
	 * @param name what was checked
	 * @param ok whether it passed
	 * @param tookMs how long it took
	 * @param detail what it found
	 */
	record Check(String name, boolean ok, long tookMs, String detail) {
	}

}
