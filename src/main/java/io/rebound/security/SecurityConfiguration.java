package io.rebound.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what. Agents publish events and heartbeats and register themselves;
 * viewers read; operators do everything else (and what viewers and agents do). Health
 * probes are open; metrics are behind a viewer's key unless configured public; CORS is
 * closed unless origins are configured. With {@code rebound.security.enabled=false}
 * everything is open, for local development only, and the log says so.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	private final SecurityProperties properties;

	SecurityConfiguration(SecurityProperties properties) {
		this.properties = properties;
	}

	@Bean
	static RoleHierarchy roleHierarchy() {
		return RoleHierarchyImpl.fromHierarchy("""
				ROLE_OPERATOR > ROLE_VIEWER
				ROLE_OPERATOR > ROLE_AGENT
				""");
	}

	/**
	 * No users and passwords: keys and tokens only (and no generated password in the
	 * log).
	 */
	@Bean
	UserDetailsService noUsers() {
		return (username) -> {
			throw new org.springframework.security.core.userdetails.UsernameNotFoundException(username);
		};
	}

	@Bean
	SecurityFilterChain api(HttpSecurity http, ApiKeys keys, ObjectProvider<JwtDecoder> jwt) throws Exception {
		http.csrf((csrf) -> csrf.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.exceptionHandling((e) -> e.authenticationEntryPoint(SecurityProblems.unauthenticated())
				.accessDeniedHandler(SecurityProblems.forbidden()));
		cors(http);
		if (!this.properties.enabled()) {
			http.anonymous((a) -> a.principal(Caller.DEVELOPMENT).authorities("ROLE_OPERATOR"))
				.authorizeHttpRequests((a) -> a.anyRequest().permitAll());
			return http.build();
		}
		if (!this.properties.bootstrapKey().isBlank()) {
			keys.bootstrap(this.properties.bootstrapKey());
		}
		http.addFilterBefore(new ApiKeyFilter(keys), AnonymousAuthenticationFilter.class);
		http.addFilterAfter(new RateLimitFilter(this.properties.requestsPerSecond()),
				AnonymousAuthenticationFilter.class);
		if (jwt.getIfAvailable() != null) {
			// "Bearer rbk_…" is an API key, handled above; only other bearer tokens are
			// JWTs
			DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
			http.oauth2ResourceServer((o) -> o.bearerTokenResolver((request) -> {
				String token = bearer.resolve(request);
				return (token != null && token.startsWith("rbk_")) ? null : token;
			})
				.jwt((j) -> j.jwtAuthenticationConverter(this::fromToken))
				.authenticationEntryPoint(SecurityProblems.unauthenticated()));
		}
		boolean publicMetrics = this.properties.metrics().equals("public");
		http.authorizeHttpRequests((a) -> {
			a.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll();
			if (publicMetrics) {
				a.requestMatchers("/actuator/prometheus").permitAll();
			}
			else {
				a.requestMatchers("/actuator/prometheus").hasRole("VIEWER");
			}
			a.requestMatchers("/actuator/**").hasRole("OPERATOR");
			a.requestMatchers("/api/schemas/**", "/v3/api-docs", "/v3/api-docs/**").permitAll();
			a.requestMatchers(HttpMethod.POST, "/api/errors", "/api/agents", "/api/agents/*/heartbeat")
				.hasRole("AGENT");
			// an agent's own checkpoints (the controller checks whose); viewers read them
			a.requestMatchers(HttpMethod.GET, "/api/agents/*/checkpoints", "/api/agents/*/checkpoints/**")
				.hasAnyRole("AGENT", "VIEWER");
			// agents read which features are off, to switch to their fallbacks
			a.requestMatchers(HttpMethod.GET, "/api/degradation").hasAnyRole("AGENT", "VIEWER");
			a.requestMatchers("/api/agents/*/checkpoints", "/api/agents/*/checkpoints/**").hasRole("AGENT");
			a.requestMatchers("/api/keys", "/api/keys/**", "/api/audit", "/api/audit/**").hasRole("OPERATOR");
			a.requestMatchers(HttpMethod.GET, "/api/**").hasRole("VIEWER");
			a.requestMatchers(HttpMethod.POST, "/api/correlation/explain").hasRole("VIEWER");
			a.requestMatchers("/api/**").hasRole("OPERATOR");
			a.anyRequest().authenticated();
		});
		return http.build();
	}

	private void cors(HttpSecurity http) throws Exception {
		if (this.properties.corsOrigins().isEmpty()) {
			http.cors((c) -> c.disable());
			return;
		}
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(this.properties.corsOrigins());
		cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
		cors.setAllowedHeaders(List.of("Authorization", "X-API-Key", "Content-Type"));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/api/**", cors);
		http.cors((c) -> c.configurationSource(source));
	}

	/** A bearer token's caller: its subject, its strongest role, and an agent's ids. */
	private CallerAuthentication fromToken(Jwt token) {
		Set<String> roles = new HashSet<>();
		List<String> claimed = token.getClaimAsStringList(this.properties.jwtRolesClaim());
		if (claimed != null) {
			claimed.forEach((r) -> roles.add(r.toLowerCase(Locale.ROOT)));
		}
		String role = roles.contains("operator") ? "operator"
				: roles.contains("viewer") ? "viewer" : roles.contains("agent") ? "agent" : "none";
		List<String> agents = token.getClaimAsStringList(this.properties.jwtAgentsClaim());
		Caller caller = new Caller(token.getSubject(), role, Set.copyOf((agents != null) ? agents : new ArrayList<>()),
				"jwt:" + token.getIssuer());
		return new CallerAuthentication(caller);
	}

	@EventListener(ApplicationReadyEvent.class)
	void warnWhenOpen() {
		if (!this.properties.enabled()) {
			log.warn("""

					************************************************************************
					*  AUTHENTICATION IS OFF (rebound.security.enabled=false).              *
					*  Anyone who reaches this port can read, resolve, reset and restart.  *
					*  This is for local development only. Never deploy it like this.      *
					************************************************************************""");
		}
	}

}
