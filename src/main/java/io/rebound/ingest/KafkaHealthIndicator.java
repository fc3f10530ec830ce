package io.rebound.ingest;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Kafka's part of readiness: the cluster answers and has brokers.
 */
@Component("kafka")
class KafkaHealthIndicator extends AbstractHealthIndicator {

	private static final int TIMEOUT_MS = 3000;

	private final Admin admin;

	KafkaHealthIndicator(Admin kafkaAdminClient) {
		super("Kafka is not reachable");
		this.admin = kafkaAdminClient;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		DescribeClusterResult cluster = this.admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
		String clusterId = cluster.clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
		int brokers = cluster.nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
		builder.status((brokers > 0) ? "UP" : "DOWN").withDetail("clusterId", clusterId).withDetail("brokers", brokers);
	}

}
