package io.rebound.hooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The shapes a notification is POSTed in: Rebound's generic JSON, Slack's {@code {"text":
 * …}} and Alertmanager's alert list for {@code /api/v2/alerts}.
 */
final class HookFormats {

	private HookFormats() {
	}

	static Object body(String format, UUID id, Notification notification) {
		String severity = (notification.severity() != null) ? notification.severity().wire() : "info";
		return switch (format) {
			case "slack" -> Map.of("text",
					(notification.event().startsWith("recovery.verified")
							|| notification.event().equals("incident.resolved") ? ":white_check_mark: "
									: ":rotating_light: ")
							+ notification.summary() + " (" + notification.event() + ", " + severity + ")");
			case "alertmanager" -> {
				Map<String, Object> labels = new LinkedHashMap<>();
				labels.put("alertname", "Rebound_" + notification.event().replace('.', '_'));
				labels.put("severity", severity);
				if (notification.agent() != null) {
					labels.put("agent", notification.agent());
				}
				Object incident = notification.fields().get("incident_id");
				if (incident != null) {
					labels.put("incident_id", incident);
				}
				Map<String, Object> alert = new LinkedHashMap<>();
				alert.put("labels", labels);
				alert.put("annotations", Map.of("summary", notification.summary(), "delivery_id", id.toString()));
				alert.put("startsAt", notification.at().toString());
				if (notification.event().equals("incident.resolved")
						|| notification.event().equals("recovery.verified")) {
					alert.put("endsAt", notification.at().toString());
				}
				yield List.of(alert);
			}
			default -> {
				Map<String, Object> generic = new LinkedHashMap<>();
				generic.put("event", notification.event());
				generic.put("delivery_id", id.toString());
				generic.put("severity", severity);
				generic.put("agent", notification.agent());
				generic.put("summary", notification.summary());
				generic.putAll(notification.fields());
				generic.put("at", notification.at().toString());
				yield generic;
			}
		};
	}

}
