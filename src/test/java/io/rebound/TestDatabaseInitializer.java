package io.rebound;

import java.util.Map;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives each test application context a database of its own on the server
 * {@link TestPostgres} found, and drops it when the context closes, once everything that
 * used it has stopped; and names {@link TestWebhook} as its recovery webhook.
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		TestPostgres.Server server = TestPostgres.server();
		String database = TestPostgres.createDatabase("rebound_it");
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("testDatabase",
					Map.of("spring.datasource.url", server.url(database), "spring.datasource.username", server.user(),
							"spring.datasource.password", server.password(), "rebound.recovery.webhooks[0].name",
							"it-hook", "rebound.recovery.webhooks[0].url", TestWebhook.url(),
							"rebound.hooks.subscriptions[0].name", "it-subscriber",
							"rebound.hooks.subscriptions[0].url", TestWebhook.subscriberUrl(),
							"rebound.hooks.subscriptions[0].policies[0]", "hooked", "rebound.hooks.first-retry",
							"200ms", "rebound.hooks.max-retry", "1s")));
		// the first disposable bean is destroyed last: after the pool, schedulers and
		// listeners
		((DefaultSingletonBeanRegistry) context.getBeanFactory()).registerDisposableBean("testDatabaseDropper",
				(DisposableBean) () -> TestPostgres.dropDatabase(database));
	}

}
