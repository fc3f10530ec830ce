package io.rebound;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Rebound: the error bus and self-healing service for fleets of software agents.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableAsync
public class Rebound {

	public static void main(String[] args) {
		SpringApplication.run(Rebound.class, args);
	}

}
