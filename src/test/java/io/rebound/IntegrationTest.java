package io.rebound;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ContextConfiguration;

/**
 * Rebound on a random port against real parts: the embedded KRaft Kafka broker and a
 * database of its own on a real PostgreSQL. Every test class with this annotation shares
 * one application context, so tests keep apart by using agent ids of their own. A mock
 * Kubernetes API ({@link TestKubernetes}) stands in for a cluster.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"rebound.ingest.partitions=2", "spring.kafka.consumer.fetch-max-wait=20ms",
		"rebound.agents.registry-file=classpath:test-registry.yaml", "rebound.agents.probe.interval=500ms",
		"rebound.agents.probe.timeout=300ms", "rebound.logs.paths=target/it-logs/*.log",
		"rebound.logs.poll-interval=200ms", "rebound.logs.max-events-per-minute=20",
		"rebound.correlation.interval=100ms", "rebound.correlation.rules-file=classpath:test-rules.yml",
		"rebound.security.bootstrap-key=" + Http.OPERATOR_KEY,
		"spring.security.oauth2.resourceserver.jwt.public-key-location=classpath:test-jwt.pub",
		"rebound.agents.foresight.bucket=300ms", "rebound.recovery.interval=100ms", "rebound.recovery.stabilization=1s",
		"rebound.recovery.cooldown=300ms", "rebound.recovery.restart-grace=10s",
		"rebound.agents.policies=default,critical,best-effort,gated,twice,k8s,hooked,lean,standby",
		"rebound.recovery.policies.default.circuit-open-for=1s",
		"rebound.recovery.policies.lean.symptoms.on-latency=fallback",
		"rebound.recovery.policies.standby.allowed-levels=4,5", "rebound.recovery.policies.k8s.kubernetes.namespace=it",
		"rebound.recovery.policies.gated.allowed-levels=1,5", "rebound.recovery.policies.gated.approve-level-five=true",
		"rebound.recovery.policies.twice.attempts-per-level=2",
		"rebound.agents.heartbeat.kinds.queue-worker.queue-depth-degraded=100", "rebound.degradation.interval=200ms",
		"rebound.errors.escalation.interval=300ms", "rebound.degradation.features.checkout.needs=payments-it",
		"rebound.degradation.features.checkout.criticality=critical",
		"rebound.degradation.features.recommendations.needs=recommender-it",
		"rebound.degradation.features.recommendations.criticality=optional",
		"rebound.degradation.features.search.needs=py-index-it",
		"rebound.degradation.features.reports.needs=java-index-it",
		"rebound.degradation.features.reports.criticality=optional" })
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
		brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@Import(TestKubernetes.class)
public @interface IntegrationTest {

}
