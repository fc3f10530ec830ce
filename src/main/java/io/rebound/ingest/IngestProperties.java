package io.rebound.ingest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the ingest path, under {@code rebound.ingest}.
 *
 * @param topicPrefix prefix of every topic: {@code <prefix>.errors.<severity>}
 * @param partitions partitions of each topic Rebound creates at start-up
 * @param replicationFactor replication factor of each topic Rebound creates
 * @param maxEventsPerRequest most events one {@code POST /api/errors} may carry
 * @param maxRequestSize largest {@code POST /api/errors} body
 * @param maxRecordSize largest Kafka record value accepted; larger ones are dead-lettered
 * @param publishTimeout how long a {@code POST} waits for the broker before answering 503
 * @param limits noise protection on the consumer
 * @param topicCheckInterval how often the topics' settings are checked (and repaired)
 * @param outboxInterval how often the outbox is sent to the bus
 */
@ConfigurationProperties("rebound.ingest")
record IngestProperties(@DefaultValue("rebound") String topicPrefix, @DefaultValue("6") int partitions,
		@DefaultValue("1") short replicationFactor, @DefaultValue("1000") int maxEventsPerRequest,
		@DefaultValue("16MB") DataSize maxRequestSize, @DefaultValue("256KB") DataSize maxRecordSize,
		@DefaultValue("10s") Duration publishTimeout, @DefaultValue Limits limits,
		@DefaultValue("30s") Duration topicCheckInterval, @DefaultValue("500ms") Duration outboxInterval) {

	/**
	 * The start of a SpEL expression on these settings (the bean's name), for
	 * annotations: {@code BEAN + ".interval().toMillis()}"}.
	 */
	static final String BEAN = "#{@'rebound.ingest-io.rebound.ingest.IngestProperties'";

	/**
	 * Noise protection: events beyond these limits still count in their error (count,
	 * last seen, severity) but are not stored one by one, except a sample; what was not
	 * stored is counted by source and reason. Time is the records' own timestamps, so a
	 * backlog drained after an outage is not mistaken for a spike.
	 *
	 * @param enabled apply the limits
	 * @param perSource events per second one source may have stored, on average
	 * @param perSourceBurst how far a source may go over that in a burst
	 * @param perErrorPerMinute events per minute stored for one error (spike protection)
	 * @param sampleEvery of the events over a limit, store every n-th anyway
	 */
	record Limits(@DefaultValue("true") boolean enabled, @DefaultValue("500") int perSource,
			@DefaultValue("2000") int perSourceBurst, @DefaultValue("300") int perErrorPerMinute,
			@DefaultValue("100") int sampleEvery) {
	}

}
