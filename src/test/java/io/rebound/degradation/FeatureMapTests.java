package io.rebound.degradation;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rebound.agents.AgentGraph;
import io.rebound.agents.HealthState;
import io.rebound.degradation.DegradationProperties.Criticality;
import io.rebound.degradation.DegradationProperties.Feature;
import io.rebound.degradation.FeatureMap.Assessment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureMapTests {

	private final Map<String, Feature> features = Map.of("checkout",
			new Feature(List.of("payments", "inventory"), Criticality.ESSENTIAL, null), "search",
			new Feature(List.of("index"), Criticality.CRITICAL, null), "reviews",
			new Feature(List.of("reviewer"), Criticality.IMPORTANT, null), "recommendations",
			new Feature(List.of("recommender"), Criticality.OPTIONAL, null), "login",
			new Feature(List.of("auth"), Criticality.ESSENTIAL, null));

	private final Map<String, AgentGraph.Node> agents = new HashMap<>();

	@Test
	void everyFeatureOnIsFull() {
		healthy("payments", "inventory", "index", "reviewer", "recommender", "auth");

		Assessment assessment = FeatureMap.assess(this.features, this.agents, Set.of());

		assertThat(assessment.level()).isEqualTo(FleetLevel.FULL);
		assertThat(assessment.off()).isEmpty();
	}

	@Test
	void theLevelIsSetByTheMostImportantFeatureOff() {
		healthy("payments", "inventory", "index", "reviewer", "auth");
		this.agents.put("recommender", node("recommender", HealthState.FAILED));
		assertThat(FeatureMap.assess(this.features, this.agents, Set.of()).level()).isEqualTo(FleetLevel.MINOR);

		this.agents.put("reviewer", node("reviewer", HealthState.CRITICAL));
		assertThat(FeatureMap.assess(this.features, this.agents, Set.of()).level()).isEqualTo(FleetLevel.MODERATE);

		this.agents.put("index", node("index", HealthState.STOPPED));
		assertThat(FeatureMap.assess(this.features, this.agents, Set.of()).level()).isEqualTo(FleetLevel.SEVERE);

		this.agents.put("inventory", node("inventory", HealthState.FAILED));
		Assessment minimal = FeatureMap.assess(this.features, this.agents, Set.of());
		assertThat(minimal.level()).isEqualTo(FleetLevel.MINIMAL);
		assertThat(minimal.off()).containsExactly("checkout", "recommendations", "reviews", "search");

		Assessment emergency = FeatureMap.assess(this.features, this.agents, Set.of("auth"));
		assertThat(emergency.level()).isEqualTo(FleetLevel.EMERGENCY);
		assertThat(
				emergency.features().stream().filter((f) -> f.name().equals("login")).findFirst().orElseThrow().why())
			.containsExactly("auth is being recovered (healthy)");
	}

	@Test
	void aFeatureStaysOffWhileItsDependencyIsRecoveredAndADegradedOneLeavesItOnAtRisk() {
		healthy("inventory", "index", "reviewer", "recommender", "auth");
		this.agents.put("payments", node("payments", HealthState.DEGRADED));

		Assessment degraded = FeatureMap.assess(this.features, this.agents, Set.of());
		Assessment recovering = FeatureMap.assess(this.features, this.agents, Set.of("payments"));

		FeatureMap.FeatureState checkout = degraded.features().get(0);
		assertThat(checkout.name()).isEqualTo("checkout");
		assertThat(checkout.enabled()).isTrue();
		assertThat(checkout.why()).containsExactly("payments is degraded");
		assertThat(recovering.off()).containsExactly("checkout");
	}

	@Test
	void aFeatureNeedingAnAgentThatIsNotRegisteredIsOffAndOneNeverHeardFromIsOn() {
		healthy("payments", "index", "reviewer", "recommender", "auth");
		assertThat(FeatureMap.assess(this.features, this.agents, Set.of()).features().get(0).why())
			.containsExactly("inventory is not registered");

		this.agents.put("inventory", node("inventory", HealthState.UNKNOWN));
		assertThat(FeatureMap.assess(this.features, this.agents, Set.of()).level()).isEqualTo(FleetLevel.FULL);
	}

	private void healthy(String... ids) {
		for (String id : ids) {
			this.agents.put(id, node(id, HealthState.HEALTHY));
		}
	}

	private static AgentGraph.Node node(String id, HealthState state) {
		return new AgentGraph.Node(id, "worker", state, List.of(), null, "default", null, Instant.now(), null,
				List.of(), List.of(), null, null, null);
	}

}
