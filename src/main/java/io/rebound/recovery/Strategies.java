package io.rebound.recovery;

import java.util.Comparator;
import java.util.List;

import io.rebound.agents.AgentOverview;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The built-in strategies: L1 ask the agent to retry, L2 reload its configuration, L3
 * restart it, L4 restart its dependencies. Level 5 is a person.
 */
@Configuration(proxyBeanMethods = false)
class Strategies {

	@Bean
	Strategy retry() {
		return Strategy.onTarget("retry", 1, "retry");
	}

	@Bean
	Strategy reload() {
		return Strategy.onTarget("reload", 2, "reload");
	}

	@Bean
	Strategy restart() {
		return Strategy.onTarget("restart", 3, "restart");
	}

	@Bean
	Strategy restartDependencies() {
		return new Strategy() {

			@Override
			public String name() {
				return "restart-dependencies";
			}

			@Override
			public int level() {
				return 4;
			}

			@Override
			public List<Action> plan(AgentOverview.Node target, List<AgentOverview.Node> dependencies) {
				return dependencies.stream()
					.filter((d) -> d.controlUrl() != null)
					.sorted(Comparator.comparing(AgentOverview.Node::id))
					.map((d) -> new Action(d.id(), d.controlUrl(), "restart"))
					.toList();
			}

		};
	}

}
