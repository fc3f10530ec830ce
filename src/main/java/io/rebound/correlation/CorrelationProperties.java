package io.rebound.correlation;

import java.time.Duration;

import io.rebound.errors.Severity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of correlation, under {@code rebound.correlation}.
 *
 * @param enabled run the rules on ingest and the correlator; {@code false} leaves events
 * unclassified and opens no incidents
 * @param builtinRules load the built-in rule pack
 * @param rulesFile a YAML file of operators' rules ({@code rules:} list), loaded at
 * start-up; empty for none
 * @param interval how often the correlator looks at errors with news
 * @param batchSize errors it takes per round
 * @param ruleRefresh how often an instance checks whether another changed the rules
 * @param incident the default trigger of rules that give none
 * @param burst one error with this many events in its window opens an incident
 * @param openAt errors at least this severe open an incident on their own
 * @param dependencyWindow how recent an error must be for its agent to count as failing,
 * and for a symptom to be gathered under a newly found root
 * @param resolveAfter an incident with no activity for this long resolves by itself
 */
@ConfigurationProperties("rebound.correlation")
record CorrelationProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean builtinRules,
		@DefaultValue("") String rulesFile, @DefaultValue("500ms") Duration interval,
		@DefaultValue("2000") int batchSize, @DefaultValue("5s") Duration ruleRefresh, @DefaultValue Incident incident,
		@DefaultValue Burst burst, @DefaultValue("critical") Severity openAt,
		@DefaultValue("5m") Duration dependencyWindow, @DefaultValue("30m") Duration resolveAfter) {

	/**
	 * The start of a SpEL expression on these settings (the bean's name), for
	 * annotations: {@code BEAN + ".interval().toMillis()}"}.
	 */
	static final String BEAN = "#{@'rebound.correlation-io.rebound.correlation.CorrelationProperties'";

	/**
	 * @param minErrors open errors of one cause needed
	 * @param minSources from this many agents
	 * @param window within this long
	 */
	record Incident(@DefaultValue("3") int minErrors, @DefaultValue("2") int minSources,
			@DefaultValue("5m") Duration window) {
	}

	/**
	 * @param events events of one error
	 * @param window within this long
	 */
	record Burst(@DefaultValue("5") int events, @DefaultValue("1m") Duration window) {
	}

}
