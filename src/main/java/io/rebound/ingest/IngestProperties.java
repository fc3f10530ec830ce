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
 */
@ConfigurationProperties("rebound.ingest")
record IngestProperties(@DefaultValue("rebound") String topicPrefix, @DefaultValue("6") int partitions,
		@DefaultValue("1") short replicationFactor, @DefaultValue("1000") int maxEventsPerRequest,
		@DefaultValue("16MB") DataSize maxRequestSize, @DefaultValue("256KB") DataSize maxRecordSize,
		@DefaultValue("10s") Duration publishTimeout) {

}
