package io.rebound;

import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives each test application context a database of its own on the server
 * {@link TestPostgres} found, and drops it when the context closes.
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		TestPostgres.Server server = TestPostgres.server();
		String database = TestPostgres.createDatabase("rebound_it");
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("testDatabase", Map.of("spring.datasource.url", server.url(database),
					"spring.datasource.username", server.user(), "spring.datasource.password", server.password())));
		context.addApplicationListener(
				(ApplicationListener<ContextClosedEvent>) (event) -> TestPostgres.dropDatabase(database));
	}

}
