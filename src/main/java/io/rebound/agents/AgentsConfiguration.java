package io.rebound.agents;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.rebound.errors.ReceivedEvent;
import io.rebound.errors.BatchRecorded;
import io.rebound.web.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Wiring of the agents feature: the clock, the sweeper's schedule, the YAML registry
 * loaded at start-up, and registering agents first seen in their own events.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class AgentsConfiguration {

	private static final Logger log = LoggerFactory.getLogger(AgentsConfiguration.class);

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** The YAML file: {@code agents:} followed by a list of registrations. */
	record RegistryFile(List<AgentRegistration> agents) {
	}

	@Bean
	RegistryLoader registryLoader(AgentsProperties properties, AgentRegistry registry) {
		return new RegistryLoader(properties, registry);
	}

	@Bean
	EventSourceRegistrar eventSourceRegistrar(AgentStore store) {
		return new EventSourceRegistrar(store);
	}

	static final class RegistryLoader {

		private final AgentsProperties properties;

		private final AgentRegistry registry;

		RegistryLoader(AgentsProperties properties, AgentRegistry registry) {
			this.properties = properties;
			this.registry = registry;
		}

		@EventListener(ApplicationReadyEvent.class)
		void load() throws IOException {
			if (this.properties.registryFile() == null) {
				return;
			}
			YAMLMapper yaml = YAMLMapper.builder()
				.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
				.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
				.build();
			try (InputStream in = this.properties.registryFile().getInputStream()) {
				RegistryFile file = yaml.readValue(in, RegistryFile.class);
				List<AgentRegistration> agents = (file.agents() != null) ? file.agents() : List.of();
				for (AgentRegistration agent : agents) {
					try {
						this.registry.register(agent, "file");
					}
					catch (ProblemException ex) {
						throw new IllegalStateException("The agent registry " + this.properties.registryFile()
								+ " is wrong about '" + agent.id() + "': " + ex.problem().getProperties(), ex);
					}
				}
				log.info("Registered {} agents from {}", agents.size(), this.properties.registryFile());
			}
		}

	}

	/**
	 * Agents that report errors before registering are registered with defaults. Sources
	 * already registered are remembered, so the ingest path pays for a statement only
	 * when a new source appears.
	 */
	static final class EventSourceRegistrar {

		private static final int REMEMBERED = 100_000;

		private final AgentStore store;

		private final Set<String> known = ConcurrentHashMap.newKeySet();

		EventSourceRegistrar(AgentStore store) {
			this.store = store;
		}

		@EventListener
		void on(BatchRecorded batch) {
			TreeSet<String> sources = new TreeSet<>();
			for (ReceivedEvent received : batch.stored()) {
				if (!this.known.contains(received.event().source())) {
					sources.add(received.event().source());
				}
			}
			if (!sources.isEmpty()) {
				this.store.registerUnknown(sources, "event");
				if (this.known.size() + sources.size() > REMEMBERED) {
					this.known.clear();
				}
				this.known.addAll(sources);
			}
		}

	}

}
