package io.rebound.security;

import java.util.Set;

import org.springframework.modulith.NamedInterface;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling: the owner of an API key or of a bearer token, with a role, and for an
 * agent the agent ids it may speak for. Features ask it before acting on behalf of an
 * agent; the audit log writes it down.
 *
 * @param name the key's or token's owner
 * @param role {@code agent}, {@code viewer} or {@code operator}
 * @param agents the agent ids an agent may publish, heartbeat and register for
 * @param via {@code key:<prefix>}, {@code jwt:<issuer>} or {@code development}
 */
@NamedInterface("caller")
public record Caller(String name, String role, Set<String> agents, String via) {

	/** The caller of authentication-free local development. */
	static final Caller DEVELOPMENT = new Caller("development", "operator", Set.of(), "development");

	/**
	 * Nobody authenticated (a call that needs no authentication, or a background task).
	 */
	static final Caller SYSTEM = new Caller("rebound", "system", Set.of(), "system");

	/** The caller of the current request. */
	public static Caller current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
			return caller;
		}
		return SYSTEM;
	}

	/** Whether the caller may report, heartbeat and register as this agent. */
	public boolean mayActAs(String agentId) {
		return !this.role.equals("agent") || this.agents.contains(agentId);
	}

}
