package io.rebound.ingest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IngestMetricsTests {

	@Test
	void countsEachStagesCpuTime() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		IngestMetrics metrics = new IngestMetrics(registry);
		long start = IngestMetrics.cpuNow();
		double sum = 0;
		for (int i = 0; i < 2_000_000; i++) {
			sum += Math.sqrt(i);
		}
		metrics.stage(IngestMetrics.Stage.PARSE, start);

		assertThat(sum).isPositive();
		assertThat(registry.get("rebound.ingest.cpu").tag("stage", "parse").functionCounter().count()).isPositive();
		assertThat(registry.get("rebound.ingest.cpu").tag("stage", "store").functionCounter().count()).isZero();
	}

}
