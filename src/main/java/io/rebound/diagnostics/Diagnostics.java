package io.rebound.diagnostics;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.rebound.agents.AgentOverview;
import io.rebound.diagnostics.DiagnosticsReport.Agents;
import io.rebound.diagnostics.DiagnosticsReport.Bus;
import io.rebound.diagnostics.DiagnosticsReport.Check;
import io.rebound.diagnostics.DiagnosticsReport.Errors;
import io.rebound.diagnostics.DiagnosticsReport.Instance;
import io.rebound.diagnostics.DiagnosticsReport.Migrations;
import io.rebound.diagnostics.DiagnosticsReport.Pool;
import io.rebound.diagnostics.DiagnosticsReport.Postgres;
import io.rebound.errors.OpenErrors;
import io.rebound.recovery.RecoveryLeadership;
import io.rebound.ingest.BusStatus;
import io.rebound.ingest.BusStatus.PartitionLag;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;

import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Builds the diagnostics report, each section on its own, so that one part being down
 * (say Kafka) still leaves the rest of the report readable.
 */
@Component
class Diagnostics {

	private static final List<String> GROUPS = io.rebound.ingest.BusWatch.GROUPS;

	private final BusStatus bus;

	private final JdbcTemplate jdbc;

	private final HikariDataSource dataSource;

	private final Flyway flyway;

	private final AgentOverview agents;

	private final OpenErrors openErrors;

	private final String version;

	private final RecoveryLeadership leadership;

	private final TableSizes tables;

	Diagnostics(BusStatus bus, JdbcTemplate jdbc, ObjectProvider<HikariDataSource> dataSource, Flyway flyway,
			AgentOverview agents, OpenErrors openErrors, ObjectProvider<BuildProperties> build,
			RecoveryLeadership leadership, TableSizes tables) {
		this.tables = tables;
		this.leadership = leadership;
		this.bus = bus;
		this.jdbc = jdbc;
		this.dataSource = dataSource.getIfAvailable();
		this.flyway = flyway;
		this.agents = agents;
		this.openErrors = openErrors;
		BuildProperties properties = build.getIfAvailable();
		this.version = (properties != null) ? properties.getVersion()
				: Diagnostics.class.getPackage().getImplementationVersion();
	}

	DiagnosticsReport report(List<Check> checks) {
		return new DiagnosticsReport(Instant.now(), instance(), bus(), postgres(), agents(), errors(), logScanner(),
				checks);
	}

	/** The active checks, each timed. */
	List<Check> runChecks() {
		List<Check> checks = new ArrayList<>();
		checks.add(timed("postgres", () -> "answered " + this.jdbc.queryForObject("SELECT 1", Integer.class)));
		checks.add(timed("kafka", () -> this.bus.lag(GROUPS).size() + " partitions read"));
		checks.add(timed("agent-probes", () -> this.agents.probeAllNow() + " agents probed"));
		return checks;
	}

	private static Check timed(String name, Callable<String> check) {
		long started = System.nanoTime();
		try {
			String detail = check.call();
			return new Check(name, true, (System.nanoTime() - started) / 1_000_000, detail);
		}
		catch (Exception ex) {
			return new Check(name, false, (System.nanoTime() - started) / 1_000_000, describe(ex));
		}
	}

	private Instance instance() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown";
		}
		var runtime = ManagementFactory.getRuntimeMXBean();
		return new Instance(host, ProcessHandle.current().pid(), Instant.ofEpochMilli(runtime.getStartTime()),
				runtime.getUptime() / 1000, this.version, recoveryLeader());
	}

	private String recoveryLeader() {
		try {
			return this.leadership.leader().orElse("none");
		}
		catch (RuntimeException ex) {
			return "unknown: " + describe(ex);
		}
	}

	private Bus bus() {
		try {
			List<PartitionLag> lag = this.bus.lag(GROUPS);
			return new Bus(this.bus.members(GROUPS), lag, lag.stream().mapToLong(PartitionLag::lag).sum(),
					this.bus.deadLetters(), null);
		}
		catch (Exception ex) {
			return new Bus(List.of(), List.of(), null, List.of(), "Kafka could not be read: " + describe(ex));
		}
	}

	private Postgres postgres() {
		Pool pool = null;
		if (this.dataSource != null && this.dataSource.getHikariPoolMXBean() != null) {
			HikariPoolMXBean mx = this.dataSource.getHikariPoolMXBean();
			pool = new Pool(mx.getActiveConnections(), mx.getIdleConnections(), mx.getTotalConnections(),
					mx.getThreadsAwaitingConnection(), this.dataSource.getMaximumPoolSize());
		}
		try {
			String version = this.jdbc.queryForObject("SHOW server_version", String.class);
			MigrationInfoService info = this.flyway.info();
			Migrations migrations = new Migrations(
					(info.current() != null) ? info.current().getVersion().getVersion() : null, info.applied().length,
					info.pending().length);
			return new Postgres(true, version, pool, migrations, this.tables.database(), this.tables.all(), null);
		}
		catch (RuntimeException ex) {
			return new Postgres(false, null, pool, null, null, List.of(), describe(ex));
		}
	}

	private Agents agents() {
		try {
			return new Agents(this.agents.countByState(), this.agents.worst(20),
					this.agents.clockSkewed(StateGauges.CLOCK_SKEW_MS, 20), null);
		}
		catch (RuntimeException ex) {
			return new Agents(null, List.of(), List.of(), describe(ex));
		}
	}

	private List<AgentOverview.LogPosition> logScanner() {
		try {
			return this.agents.logPositions();
		}
		catch (RuntimeException ex) {
			return List.of();
		}
	}

	private Errors errors() {
		try {
			return new Errors(this.openErrors.countBySeverity(), this.openErrors.suppressed(20), null);
		}
		catch (RuntimeException ex) {
			return new Errors(null, null, describe(ex));
		}
	}

	private static String describe(Exception ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		return cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
	}

}
