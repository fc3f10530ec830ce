package io.rebound.agents;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of log scanning, under {@code rebound.logs}.
 *
 * @param paths glob patterns of the files to tail ({@code /var/log/agents/*.log}); none
 * switches scanning off
 * @param patterns a line containing one of these (case-sensitive) starts an event
 * @param sources agent id per file name, for files not named after their agent; others
 * take the file name without its extension
 * @param pollInterval how often files are read
 * @param maxEventsPerMinute events per file and minute; matching lines beyond are counted
 * as suppressed, not published
 */
@ConfigurationProperties("rebound.logs")
record LogsProperties(@DefaultValue List<String> paths, @DefaultValue( {
		"ERROR", "CRITICAL", "FATAL", "Traceback" }) List<String> patterns, @DefaultValue Map<String, String> sources,
		@DefaultValue("1s") Duration pollInterval, @DefaultValue("60") int maxEventsPerMinute){

	/**
	 * The start of a SpEL expression on these settings (the bean's name), for
	 * annotations: {@code BEAN + ".interval().toMillis()}"}.
	 */
	static final String BEAN = "#{@'rebound.logs-io.rebound.agents.LogsProperties'";

}
