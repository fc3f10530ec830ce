package io.rebound.correlation;

import java.util.List;
import java.util.Map;

import io.rebound.errors.ErrorFacts.Fact;

/** Where one error goes, and why: the correlator applies it, explain only reports it. */
sealed interface Decision {

	String why();

	/**
	 * Join an active incident.
	 *
	 * @param incident the incident
	 * @param role {@code root}, {@code member} or {@code symptom}
	 * @param path for a symptom, from its agent to the root
	 * @param why the reason
	 */
	record Join(IncidentRow incident, String role, List<String> path, String why) implements Decision {
	}

	/**
	 * Open an incident.
	 *
	 * @param kind what opens it
	 * @param key what it correlates on
	 * @param title one line for people
	 * @param lead the error that tipped it
	 * @param members every error it starts with (the lead among them)
	 * @param rootAgent the probable root agent
	 * @param path for a dependency root, from the lead's agent to the root
	 * @param previous the resolved incident this one recurs, or {@code null}
	 * @param reason the figures behind it, stored with the incident
	 * @param why the reason in words
	 */
	record Open(String kind, String key, String title, Fact lead, List<Fact> members, String rootAgent,
			List<String> path, IncidentRow previous, Map<String, Object> reason, String why) implements Decision {
	}

	/**
	 * Stay outside any incident for now.
	 *
	 * @param why what is missing
	 */
	record Stay(String why) implements Decision {
	}

}
