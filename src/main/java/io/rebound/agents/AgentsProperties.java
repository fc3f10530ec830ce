package io.rebound.agents;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the agents feature, under {@code rebound.agents}.
 *
 * @param heartbeat how heartbeats are judged
 * @param probe how agents with a {@code health_url} are probed
 * @param sweepInterval how often agents whose heartbeats stopped are looked for
 * @param policies the recovery policy tiers an agent may name
 * @param registryFile a YAML registry loaded at start-up, or {@code null}
 * @param endpoints where control calls and health probes may go
 * @param checkpoints how much of agents' task checkpoints is kept
 * @param foresight anomaly detection and failure prediction on what heartbeats report
 */
@ConfigurationProperties("rebound.agents")
record AgentsProperties(@DefaultValue Heartbeat heartbeat, @DefaultValue Probe probe,
		@DefaultValue("500ms") Duration sweepInterval, @DefaultValue( {
				"default", "critical", "best-effort" }) Set<String> policies,
		Resource registryFile, @DefaultValue Endpoints endpoints, @DefaultValue Checkpoints checkpoints,
		@DefaultValue Foresight foresight){

	/**
	 * The start of a SpEL expression on these settings (the bean's name), for
	 * annotations: {@code BEAN + ".interval().toMillis()}"}.
	 */
	static final String BEAN = "#{@'rebound.agents-io.rebound.agents.AgentsProperties'";

	/**
	 * Anomaly detection and failure prediction on the metrics heartbeats report
	 * ({@code response_time_ms}, {@code error_rate}, {@code queue_depth}, {@code cpu},
	 * {@code memory}), per agent and metric.
	 *
	 * @param enabled whether metrics are watched at all
	 * @param window values kept per agent and metric, the baseline's and the trend's
	 * @param minSamples values an agent needs before its own baseline is used (with
	 * fewer: its kind's) and before its trend is judged
	 * @param anomalyScore a modified z-score at or above this is anomalous (Iglewicz and
	 * Hoaglin's 3.5)
	 * @param anomalyConsecutive anomalous values in a row before an anomaly is reported
	 * @param bucket the trend is judged on the medians of the values in buckets of this
	 * long, so that noise and spikes do not make one
	 * @param recent the buckets the trend is fitted on
	 * @param history the buckets kept to tell a lasting trend from a rise that comes and
	 * goes (a GC sawtooth, a wander): over them the values must rise too
	 * @param horizon a failure predicted further ahead than this is not reported
	 * @param confidence a prediction with a lower confidence is not reported (the seeds'
	 * 0.7)
	 * @param lapseAfter buckets in a row that no longer show the trend before a
	 * prediction ends
	 * @param policies the confidence a prediction needs, per policy tier, over
	 * {@code confidence}
	 */
	record Foresight(@DefaultValue("true") boolean enabled, @DefaultValue("60") int window,
			@DefaultValue("20") int minSamples, @DefaultValue("3.5") double anomalyScore,
			@DefaultValue("2") int anomalyConsecutive, @DefaultValue("1m") Duration bucket,
			@DefaultValue("15") int recent, @DefaultValue("120") int history, @DefaultValue("1h") Duration horizon,
			@DefaultValue("0.7") double confidence, @DefaultValue("3") int lapseAfter, Map<String, Double> policies) {

		Foresight {
			policies = (policies != null) ? Map.copyOf(policies) : Map.of();
			if (window < 3 || minSamples < 3 || minSamples > window || recent < 3 || history < recent
					|| bucket.toMillis() < 1) {
				throw new IllegalArgumentException("rebound.agents.foresight: window, min-samples and recent must be"
						+ " at least 3, min-samples at most window, history at least recent, bucket positive");
			}
		}

		/** These settings with the confidence the agent's policy tier asks for. */
		Foresight forPolicy(String policy) {
			Double bound = (policy != null) ? this.policies.get(policy) : null;
			return (bound == null) ? this
					: new Foresight(this.enabled, this.window, this.minSamples, this.anomalyScore,
							this.anomalyConsecutive, this.bucket, this.recent, this.history, this.horizon, bound,
							this.lapseAfter, this.policies);
		}

	}

	/**
	 * Task checkpoints ({@code /api/agents/{id}/checkpoints/{task}}).
	 *
	 * @param maxSize the largest checkpoint accepted
	 * @param versionsKept versions kept per task; older ones are dropped as new ones come
	 * @param retention checkpoints older than this are dropped
	 */
	record Checkpoints(@DefaultValue("1MB") DataSize maxSize, @DefaultValue("5") int versionsKept,
			@DefaultValue("7d") Duration retention) {
	}

	/**
	 * The hosts a registered {@code control_url} or {@code health_url} may name; any
	 * other is refused at registration (a {@code 400} naming the field), so an agent key
	 * cannot point Rebound's calls anywhere it likes.
	 *
	 * @param allowed CIDRs, host names, wildcards ({@code *.example.com}) or {@code *};
	 * by default loopback, the private ranges (RFC 1918, RFC 4193) and the usual internal
	 * suffixes — never link-local (cloud metadata)
	 * @param allowSingleLabel whether bare service names without a dot
	 * ({@code planner-1}, as Compose and Kubernetes give) are allowed
	 */
	record Endpoints(@DefaultValue( {
			"localhost", "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7",
			"*.local", "*.internal", "*.svc", "*.cluster.local" }) List<String> allowed,
			@DefaultValue("true") boolean allowSingleLabel){

		EndpointAllowlist allowlist() {
			return new EndpointAllowlist(this.allowed, this.allowSingleLabel);
		}

	}

	/**
	 * Active HTTP liveness probes: a {@code GET} of the agent's {@code health_url}; any
	 * 2xx within the timeout is a good answer.
	 *
	 * @param interval time between probes of one agent
	 * @param timeout how long an answer may take
	 * @param concurrency most probes in flight at once
	 */
	record Probe(@DefaultValue("10s") Duration interval, @DefaultValue("2s") Duration timeout,
			@DefaultValue("200") int concurrency) {
	}

	/**
	 * How heartbeats are judged. The interval is learned per agent (moving average of the
	 * observed intervals) within {@code floor} and {@code ceiling}; {@code period} holds
	 * until it is learned.
	 *
	 * @param period the assumed interval before one is observed (as Kubernetes probes: 10
	 * s)
	 * @param floor the shortest interval learned
	 * @param ceiling the longest interval learned
	 * @param failureThreshold missed intervals until {@code failed} (one fewer:
	 * {@code critical}, one: {@code degraded})
	 * @param tolerance how late a heartbeat may be before it counts as missed, at most
	 * half the interval
	 * @param recoveryThreshold consecutive good heartbeats before a troubled agent is
	 * {@code healthy} again
	 * @param responseTime a response time at or above this is degraded
	 * @param errorRateDegraded an error rate at or above this is degraded
	 * @param errorRateCritical an error rate at or above this is critical
	 * @param trendWindow heartbeats over which the response-time trend is measured
	 * @param trendSlope a response time rising by this much per heartbeat, on average
	 * over the window, is degraded
	 * @param resources limits on the CPU, memory and queue depth heartbeats report, for
	 * every agent
	 * @param kinds limits for the agents of a kind, over {@code resources}
	 * @param policies limits for the agents of a policy tier, over their kind's
	 */
	record Heartbeat(@DefaultValue("10s") Duration period, @DefaultValue("1s") Duration floor,
			@DefaultValue("5m") Duration ceiling, @DefaultValue("3") int failureThreshold,
			@DefaultValue("1s") Duration tolerance, @DefaultValue("3") int recoveryThreshold,
			@DefaultValue("2s") Duration responseTime, @DefaultValue("0.1") double errorRateDegraded,
			@DefaultValue("0.5") double errorRateCritical, @DefaultValue("10") int trendWindow,
			@DefaultValue("50ms") Duration trendSlope, Resources resources, Map<String, Resources> kinds,
			Map<String, Resources> policies) {

		Heartbeat {
			resources = Resources.BUILT_IN.over(resources);
			kinds = (kinds != null) ? Map.copyOf(kinds) : Map.of();
			policies = (policies != null) ? Map.copyOf(policies) : Map.of();
		}

		/** The limits for an agent of this kind and tier (either may be {@code null}). */
		Resources resourcesFor(String kind, String policy) {
			Resources byKind = (kind != null) ? this.kinds.get(kind) : null;
			Resources byPolicy = (policy != null) ? this.policies.get(policy) : null;
			return this.resources.over(byKind).over(byPolicy);
		}

	}

	/**
	 * Limits on what heartbeats report of an agent's resources; a value at or above a
	 * {@code …Degraded} limit is {@code degraded}, at or above a {@code …Critical} one
	 * {@code critical}. Built in: memory 0.9 and 0.98; CPU and queue depth are not judged
	 * unless a limit is set (a busy worker is not a sick one, and queue depths mean
	 * different things per kind). A limit above anything reported (memory 2) turns a
	 * built-in one off.
	 *
	 * @param cpuDegraded CPU, a fraction from 0 to 1
	 * @param cpuCritical CPU
	 * @param memoryDegraded memory, a fraction from 0 to 1
	 * @param memoryCritical memory
	 * @param queueDepthDegraded queue depth, in the agent's own units
	 * @param queueDepthCritical queue depth
	 */
	record Resources(Double cpuDegraded, Double cpuCritical, Double memoryDegraded, Double memoryCritical,
			Double queueDepthDegraded, Double queueDepthCritical) {

		static final Resources BUILT_IN = new Resources(null, null, 0.9, 0.98, null, null);

		/** These limits, with those the other sets replacing them. */
		Resources over(Resources other) {
			if (other == null) {
				return this;
			}
			return new Resources(pick(other.cpuDegraded, this.cpuDegraded), pick(other.cpuCritical, this.cpuCritical),
					pick(other.memoryDegraded, this.memoryDegraded), pick(other.memoryCritical, this.memoryCritical),
					pick(other.queueDepthDegraded, this.queueDepthDegraded),
					pick(other.queueDepthCritical, this.queueDepthCritical));
		}

		private static Double pick(Double preferred, Double fallback) {
			return (preferred != null) ? preferred : fallback;
		}

	}

}
