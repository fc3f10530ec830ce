package io.rebound.ingest;

import java.util.Arrays;
import java.util.List;

import io.rebound.errors.Severity;

import org.springframework.stereotype.Component;

/**
 * The names of the topics events travel on: {@code <prefix>.errors.<severity>},
 * {@code <prefix>.heartbeats}, and each one's dead-letter topic {@code <topic>-dlt}.
 */
@Component
public class IngestTopics {

	private final String prefix;

	IngestTopics(IngestProperties properties) {
		this.prefix = properties.topicPrefix();
	}

	public String errors(Severity severity) {
		return this.prefix + ".errors." + severity.wire();
	}

	/** Heartbeats, keyed by agent id. */
	public String heartbeats() {
		return this.prefix + ".heartbeats";
	}

	public List<String> allErrors() {
		return Arrays.stream(Severity.values()).map(this::errors).toList();
	}

	public static String deadLetter(String topic) {
		return topic + "-dlt";
	}

}
