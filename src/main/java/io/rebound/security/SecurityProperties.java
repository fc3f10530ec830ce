package io.rebound.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of authentication, under {@code rebound.security}.
 *
 * @param enabled {@code false} switches authentication off for local development only;
 * Rebound then says so loudly at start-up
 * @param bootstrapKey an operator key (at least 32 characters) Rebound accepts as
 * {@code bootstrap}, so the first real keys can be created; empty for none
 * @param metrics {@code authenticated} (a viewer's key) or {@code public} for
 * {@code /actuator/prometheus}; health probes are always open
 * @param corsOrigins origins allowed to call the API from a browser; none by default
 * @param jwtRolesClaim the bearer tokens' claim holding the roles
 * @param jwtAgentsClaim the bearer tokens' claim holding an agent's ids
 * @param requestsPerSecond calls per second one key or token may make; beyond,
 * {@code 429} with {@code Retry-After}
 */
@ConfigurationProperties("rebound.security")
record SecurityProperties(@DefaultValue("true") boolean enabled, @DefaultValue("") String bootstrapKey,
		@DefaultValue("authenticated") String metrics, @DefaultValue List<String> corsOrigins,
		@DefaultValue("roles") String jwtRolesClaim, @DefaultValue("agents") String jwtAgentsClaim,
		@DefaultValue("200") int requestsPerSecond) {

}
