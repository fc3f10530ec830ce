package io.rebound.fleet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.rebound.Http;
import io.rebound.client.ReboundClient;
import tools.jackson.databind.JsonNode;

/**
 * A fleet of {@link FleetAgent}s against one Rebound: a dependency with its dependants, a
 * group that shares state, and workers; faults injected one every {@code spacing}, each
 * watched through Rebound's REST API until its run ends — a row of the live table as it
 * does — and judged against what the agents themselves know: whether the fault really
 * ended before Rebound said so, which calls each agent received.
 */
final class Fleet implements AutoCloseable {

	/**
	 * What to run.
	 *
	 * @param agents how many agents in all
	 * @param dependants how many agents depend on the one dependency
	 * @param groupSize how many agents share state in the one group
	 * @param faults how many single-agent faults (the kinds by turns), besides the
	 * dependency's outage and the group's poisoning
	 * @param spacing the pause between two injected faults
	 * @param heartbeats the agents' heartbeat interval
	 * @param deadline how long to wait for the last fault's run to end
	 */
	record Plan(int agents, int dependants, int groupSize, int faults, Duration spacing, Duration heartbeats,
			Duration deadline) {

		Plan {
			int workers = agents - 1 - dependants - groupSize;
			if (faults > workers) {
				throw new IllegalArgumentException(agents + " agents leave " + workers + " workers for " + faults
						+ " faults; one agent per fault, plus the dependency, its dependants and the group");
			}
		}

		/** The single-agent fault kinds, by turns. */
		static final List<Fault> SINGLE = List.of(Fault.TRANSIENT, Fault.CONFIG_DRIFT, Fault.CRASH, Fault.HANG,
				Fault.SLOW_LEAK, Fault.FLAPPING, Fault.LOOKS_FINE, Fault.UNCURABLE, Fault.SECURITY);

	}

	private final Http rebound;

	private final int port;

	private final Plan plan;

	private final String run = UUID.randomUUID().toString().substring(0, 6);

	private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);

	private final ExecutorService restarts = Executors.newCachedThreadPool();

	private final List<FleetAgent> agents = new ArrayList<>();

	private final List<FleetAgent> workers = new ArrayList<>();

	private final List<FleetAgent> dependants = new ArrayList<>();

	private final List<Outcome> outcomes = new ArrayList<>();

	private int nextWorker;

	private FleetAgent dependency;

	private FleetGroup group;

	Fleet(int port, Plan plan) {
		this.rebound = new Http(port);
		this.port = port;
		this.plan = plan;
	}

	/** Registers every agent and waits until Rebound sees them all healthy. */
	Fleet start(Duration within) throws Exception {
		List<String> ids = new ArrayList<>();
		String db = "db-" + this.run;
		ids.add(db);
		for (int i = 0; i < this.plan.dependants(); i++) {
			ids.add("api-" + this.run + "-" + i);
		}
		for (int i = 0; i < this.plan.groupSize(); i++) {
			ids.add("pool-" + this.run + "-" + i);
		}
		int workerCount = this.plan.agents() - ids.size();
		for (int i = 0; i < workerCount; i++) {
			ids.add("worker-" + this.run + "-" + i);
		}
		Map<String, String> secrets = issueKey(ids);
		String key = secrets.remove("");
		this.group = new FleetGroup("pool-" + this.run);
		for (String id : ids) {
			FleetAgent agent;
			if (id.equals(db)) {
				agent = new FleetAgent(id, builder(id, key, secrets.get(id), "database", List.of(), Map.of()),
						this.restarts, null, null);
				this.dependency = agent;
			}
			else if (id.startsWith("api-")) {
				agent = new FleetAgent(id, builder(id, key, secrets.get(id), "api", List.of(db), Map.of()),
						this.restarts, this.dependency, null);
				this.dependants.add(agent);
			}
			else if (id.startsWith("pool-")) {
				agent = new FleetAgent(id,
						builder(id, key, secrets.get(id), "pool", List.of(), Map.of("group", this.group.name)),
						this.restarts, null, this.group);
				this.group.members.add(agent);
			}
			else {
				agent = new FleetAgent(id, builder(id, key, secrets.get(id), "worker", List.of(), Map.of()),
						this.restarts, null, null);
				this.workers.add(agent);
			}
			this.agents.add(agent);
			agent.start();
		}
		this.ticks.scheduleAtFixedRate(() -> this.agents.forEach(FleetAgent::tick), 1, 1, TimeUnit.SECONDS);
		Instant deadline = Instant.now().plus(within);
		while (healthy() < this.agents.size()) {
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException(
						healthy() + " of " + this.agents.size() + " agents healthy after " + within);
			}
			Thread.sleep(500);
		}
		return this;
	}

	private Map<String, String> issueKey(List<String> ids) {
		Http.Response created = this.rebound.post("/api/keys",
				Http.json(Map.of("name", "fleet-" + this.run, "owner", "fleet", "role", "agent", "agent_ids", ids)));
		if (created.status() != 201) {
			throw new IllegalStateException("no key for the fleet: " + created.status() + " " + created.body());
		}
		JsonNode body = created.json();
		Map<String, String> secrets = new java.util.HashMap<>();
		body.get("control_secrets").properties().forEach((e) -> secrets.put(e.getKey(), e.getValue().asString()));
		secrets.put("", body.get("secret").asString());
		return secrets;
	}

	private java.util.function.Supplier<ReboundClient.Builder> builder(String id, String key, String secret,
			String kind, List<String> dependsOn, Map<String, String> labels) {
		Map<String, String> all = new java.util.HashMap<>(labels);
		all.put("fleet", this.run);
		return () -> ReboundClient.builder()
			.agentId(id)
			.url("http://localhost:" + this.port)
			.key(key)
			.controlSecret(secret)
			.controlHost("127.0.0.1")
			.kind(kind)
			.dependsOn(dependsOn.toArray(String[]::new))
			.labels(all)
			.heartbeatInterval(this.plan.heartbeats())
			.spoolDir(Path.of("target/fleet-spool", id));
	}

	private int healthy() {
		int count = 0;
		String cursor = null;
		do {
			JsonNode page = this.rebound
				.get("/api/agents?state=healthy&label=fleet:" + this.run + "&limit=500"
						+ ((cursor != null) ? "&cursor=" + cursor : ""))
				.json();
			count += page.get("items").size();
			cursor = page.path("next_cursor").isNull() || page.path("next_cursor").isMissingNode() ? null
					: page.get("next_cursor").asString();
		}
		while (cursor != null);
		return count;
	}

	/**
	 * Injects the faults one every {@code spacing} (the dependency's outage first, the
	 * group's poisoning second, then the single-agent kinds by turns), printing a row for
	 * each as its run ends; waits for the last at most {@code deadline}.
	 */
	List<Outcome> run(PrintStream out) throws Exception {
		List<Runnable> injections = new ArrayList<>();
		injections.add(() -> this.outcomes.add(inject(Fault.DEPENDENCY, this.dependency)));
		if (this.plan.groupSize() > 0) {
			injections.add(() -> {
				Outcome outcome = new Outcome(Fault.POISONED_GROUP, this.group.members.get(0), Instant.now(),
						this.group.members);
				this.group.inject();
				this.outcomes.add(outcome);
			});
		}
		for (int i = 0; i < this.plan.faults(); i++) {
			Fault kind = Plan.SINGLE.get(i % Plan.SINGLE.size());
			FleetAgent target = this.workers.get(i);
			injections.add(() -> this.outcomes.add(inject(kind, target)));
		}
		out.println(Outcome.HEADER);
		Instant nextInjection = Instant.now();
		int injected = 0;
		Instant deadline = null;
		while (true) {
			if (injected < injections.size() && !Instant.now().isBefore(nextInjection)) {
				injections.get(injected++).run();
				nextInjection = Instant.now().plus(this.plan.spacing());
				if (injected == injections.size()) {
					deadline = Instant.now().plus(this.plan.deadline());
				}
			}
			for (Outcome outcome : this.outcomes) {
				if (!outcome.settled() && outcome.judge(this.rebound)) {
					out.println(outcome.row());
				}
			}
			boolean allSettled = this.outcomes.stream().allMatch(Outcome::settled);
			if (injected == injections.size() && (allSettled || Instant.now().isAfter(deadline))) {
				break;
			}
			Thread.sleep(250);
		}
		for (Outcome outcome : this.outcomes) {
			if (!outcome.settled()) {
				outcome.giveUp(this.rebound);
				out.println(outcome.row());
			}
		}
		return List.copyOf(this.outcomes);
	}

	/**
	 * Injects one fault of each kind into workers not used before, all at once; their
	 * outcomes are judged by {@link #await}.
	 */
	List<Outcome> inject(List<Fault> kinds) {
		List<Outcome> injected = new ArrayList<>();
		for (Fault kind : kinds) {
			if (this.nextWorker >= this.workers.size()) {
				throw new IllegalStateException("no worker left for " + kind + ": " + this.workers.size() + " in all");
			}
			injected.add(inject(kind, this.workers.get(this.nextWorker++)));
		}
		this.outcomes.addAll(injected);
		return injected;
	}

	/**
	 * Watches {@code outcomes} until each run ended, printing a row for each as it does,
	 * or until {@code deadline} passed.
	 */
	void await(List<Outcome> outcomes, Duration deadline, PrintStream out) throws InterruptedException {
		Instant until = Instant.now().plus(deadline);
		while (!outcomes.stream().allMatch(Outcome::settled) && Instant.now().isBefore(until)) {
			judge(outcomes, out);
			Thread.sleep(250);
		}
		for (Outcome outcome : outcomes) {
			if (!outcome.settled()) {
				outcome.giveUp(this.rebound);
				out.println(outcome.row());
			}
		}
	}

	/**
	 * Judges the outcomes not settled yet once, printing a row for each that settles; a
	 * Rebound that does not answer now (its database away, say) is asked again next time.
	 */
	void judge(List<Outcome> outcomes, PrintStream out) {
		for (Outcome outcome : outcomes) {
			try {
				if (!outcome.settled() && outcome.judge(this.rebound)) {
					out.println(outcome.row());
				}
			}
			catch (RuntimeException ex) {
				return;
			}
		}
	}

	/**
	 * Rebound's record of its recovery steps against the agents' own logs of the calls
	 * they received, attempt id by attempt id.
	 *
	 * @param calls control calls to the fleet's agents Rebound recorded as answered with
	 * 2xx
	 * @param lost of those, calls the agent has no record of receiving
	 * @param unknown calls an agent received that no attempt of Rebound's records
	 */
	record Ledger(int calls, List<String> lost, List<String> unknown) {
	}

	private static final java.util.regex.Pattern CALL = java.util.regex.Pattern
		.compile("POST (\\S+)/([a-z-]+)(?: \\(unsigned[^)]*\\))? -> (\\d{3})");

	Ledger ledger() {
		Map<String, FleetAgent> byUrl = new java.util.HashMap<>();
		this.agents.forEach((a) -> a.urls().forEach((u) -> byUrl.put(strip(u), a)));
		// attempt id -> "url verb" of the calls Rebound recorded as answered
		Map<String, java.util.Set<String>> recorded = new java.util.HashMap<>();
		int calls = 0;
		List<String> lost = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = this.rebound
				.get("/api/recovery/history?limit=500" + ((cursor != null) ? "&cursor=" + cursor : ""))
				.json();
			for (JsonNode attempt : page.get("items")) {
				String id = attempt.get("id").asString();
				for (JsonNode call : attempt.path("evidence").path("calls")) {
					java.util.regex.Matcher m = CALL.matcher(call.asString());
					if (!m.find() || !byUrl.containsKey(strip(m.group(1)))) {
						continue;
					}
					recorded.computeIfAbsent(id, (k) -> new java.util.HashSet<>())
						.add(strip(m.group(1)) + " " + m.group(2));
					if (m.group(3).startsWith("2")) {
						calls++;
						FleetAgent agent = byUrl.get(strip(m.group(1)));
						boolean received = agent.received()
							.stream()
							.anyMatch((r) -> id.equals(r.attemptId()) && r.verb().equals(m.group(2)));
						if (!received) {
							lost.add(agent.id + ": " + m.group(2) + " of attempt " + id + " recorded as " + m.group(3)
									+ ", never received");
						}
					}
				}
			}
			cursor = page.path("next_cursor").isNull() || page.path("next_cursor").isMissingNode() ? null
					: page.get("next_cursor").asString();
		}
		while (cursor != null);
		List<String> unknown = new ArrayList<>();
		for (FleetAgent agent : this.agents) {
			for (FleetAgent.Received r : agent.received()) {
				if (!recorded.getOrDefault(r.attemptId(), java.util.Set.of())
					.contains(strip(r.url()) + " " + r.verb())) {
					unknown.add(agent.id + ": " + r.verb() + " of attempt " + r.attemptId() + " at " + r.at()
							+ ", not in Rebound's attempts");
				}
			}
		}
		return new Ledger(calls, lost, unknown);
	}

	private static String strip(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	private Outcome inject(Fault kind, FleetAgent target) {
		Outcome outcome = new Outcome(kind, target, Instant.now(), List.of(target));
		target.inject(kind);
		return outcome;
	}

	/**
	 * What the agents reported against what Rebound stored of it.
	 *
	 * @param reported events the agents' work reported
	 * @param stored events of theirs Rebound counts (its own events about them aside)
	 * @param mismatches the agents whose two figures differ: {@code agent: reported n,
	 * stored m}
	 */
	record Accounting(long reported, long stored, List<String> mismatches) {
	}

	/** Events Rebound makes about agents, not reports of theirs. */
	static final java.util.Set<String> REBOUNDS_OWN = java.util.Set.of("heartbeat_timeout", "degraded_performance",
			"health_degraded", "anomaly", "predicted_failure");

	/**
	 * Every agent's reports stored exactly once: the fleet's work stopped and every
	 * client flushed, then Rebound's counts of its errors (waiting for them to settle, at
	 * most {@code within}) against what its work reported.
	 */
	Accounting accounting(Duration within) throws InterruptedException {
		this.ticks.shutdownNow();
		this.agents.parallelStream().forEach((a) -> a.flush(Duration.ofSeconds(10)));
		Instant deadline = Instant.now().plus(within);
		while (true) {
			long reported = 0;
			long stored = 0;
			List<String> mismatches = new ArrayList<>();
			for (FleetAgent agent : this.agents) {
				long counted = 0;
				for (JsonNode error : this.rebound.get("/api/errors?limit=500&source=" + agent.id)
					.json()
					.get("items")) {
					if (!REBOUNDS_OWN.contains(error.get("type").asString())) {
						counted += error.get("count").asLong();
					}
				}
				reported += agent.reported();
				stored += counted;
				if (counted != agent.reported()) {
					mismatches.add(agent.id + ": reported " + agent.reported() + ", stored " + counted);
				}
			}
			if (mismatches.isEmpty() || Instant.now().isAfter(deadline)) {
				return new Accounting(reported, stored, mismatches);
			}
			Thread.sleep(1000);
		}
	}

	List<FleetAgent> agents() {
		return List.copyOf(this.agents);
	}

	List<FleetAgent> dependants() {
		return List.copyOf(this.dependants);
	}

	Http rebound() {
		return this.rebound;
	}

	@Override
	public void close() {
		this.ticks.shutdownNow();
		this.agents.parallelStream().forEach(FleetAgent::close);
		this.restarts.shutdownNow();
	}

}
