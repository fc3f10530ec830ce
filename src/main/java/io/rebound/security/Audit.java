package io.rebound.security;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.modulith.NamedInterface;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The audit log: every operator action (resolve, reset, pause, approve, a rule, registry
 * or key change) with who, what, when and from where. Features call it in the same
 * transaction as the change, so an action and its record stand or fall together.
 */
@Component
@NamedInterface("caller")
public class Audit {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcTemplate jdbc;

	Audit(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records an action of the current caller.
	 * @param action what was done, like {@code incident.resolve}
	 * @param target what it was done to, like the incident's id
	 * @param detail the particulars (never a secret)
	 */
	public void record(String action, String target, Map<String, ?> detail) {
		Caller caller = Caller.current();
		this.jdbc.update("""
				INSERT INTO audit_log (actor, role, via, action, target, detail, remote_addr)
				VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)
				""", caller.name(), caller.role(), caller.via(), action, target, JSON.writeValueAsString(detail),
				remoteAddress());
	}

	private static String remoteAddress() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

}
