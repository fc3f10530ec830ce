package io.rebound.recovery;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.transaction.annotation.Propagation;

/**
 * Tells people that a run needs them — its approval, or their hands — by POSTing to the
 * webhooks in {@code rebound.recovery.webhooks} (those the agent's policy names, or all):
 * Rebound's generic JSON, a Slack-compatible {@code {"text": …}}, or an
 * Alertmanager-compatible alert list for {@code /api/v2/alerts}. Listens to
 * {@link RecoveryEvent.RecoveryHandedToPerson} and
 * {@link RecoveryEvent.RecoveryAwaitingApproval}, after the step that needs a person is
 * committed, and calls the webhooks off that thread (the ladder and the correlator do not
 * wait); a webhook that fails is logged and reported, and the run waits all the same.
 */
@Component
class NotifyExecutor {

	private static final Logger log = LoggerFactory.getLogger(NotifyExecutor.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	private final List<RecoveryProperties.Webhook> webhooks;

	private final Duration timeout;

	private final RecoveryProperties properties;

	NotifyExecutor(RecoveryProperties properties) {
		this.webhooks = properties.webhooks();
		this.timeout = properties.actionTimeout();
		this.properties = properties;
	}

	/**
	 * A person is needed.
	 *
	 * @param runId the run
	 * @param incidentId its incident
	 * @param agent the agent
	 * @param level the level reached
	 * @param status {@code waiting_person} or {@code waiting_approval}
	 * @param reason why
	 * @param policy the agent's policy (its {@code webhooks} pick the webhooks)
	 */
	record Notice(UUID runId, UUID incidentId, String agent, int level, String status, String reason, Policy policy) {
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void on(RecoveryEvent.RecoveryHandedToPerson event) {
		send(new Notice(event.runId(), event.incidentId(), event.agent(), event.level(),
				RunStatus.WAITING_PERSON.wire(), event.reason(), this.properties.policy(event.policy())));
	}

	@ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
	void on(RecoveryEvent.RecoveryAwaitingApproval event) {
		send(new Notice(event.runId(), event.incidentId(), event.agent(), event.level(),
				RunStatus.WAITING_APPROVAL.wire(), event.reason(), this.properties.policy(event.policy())));
	}

	/** Sends the notice to each webhook; answers what each said. */
	List<String> send(Notice notice) {
		List<String> answers = new ArrayList<>();
		for (RecoveryProperties.Webhook webhook : this.webhooks) {
			if (!notice.policy().webhooks().isEmpty() && !notice.policy().webhooks().contains(webhook.name())) {
				continue;
			}
			String answer;
			try {
				HttpResponse<Void> response = this.client.send(HttpRequest.newBuilder(webhook.url())
					.timeout(this.timeout)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body(webhook.format(), notice))))
					.build(), HttpResponse.BodyHandlers.discarding());
				answer = webhook.name() + " -> " + response.statusCode();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				answer = webhook.name() + " interrupted";
			}
			catch (Exception ex) {
				answer = webhook.name() + " failed: " + ex.getClass().getSimpleName();
			}
			if (!answer.matches(".* -> 2\\d\\d")) {
				log.warn("Telling webhook {} that run {} needs a person: {}", webhook.name(), notice.runId(), answer);
			}
			answers.add(answer);
		}
		return answers;
	}

	static Object body(String format, Notice notice) {
		boolean approval = notice.status().equals(RunStatus.WAITING_APPROVAL.wire());
		String summary = (approval ? "Recovery of " + notice.agent() + " waits for approval of level 5"
				: "Recovery of " + notice.agent() + " needs a person");
		String link = "/api/recovery/runs/" + notice.runId();
		return switch (format) {
			case "slack" -> Map.of("text", ":rotating_light: " + summary + " (incident " + notice.incidentId()
					+ ", level " + notice.level() + "): " + notice.reason() + " — " + link);
			case "alertmanager" -> List.of(Map.of("labels",
					Map.of("alertname", approval ? "ReboundRecoveryAwaitsApproval" : "ReboundRecoveryNeedsAPerson",
							"severity", "critical", "agent", notice.agent(), "incident_id",
							notice.incidentId().toString()),
					"annotations", Map.of("summary", summary, "description", notice.reason(), "run", link), "startsAt",
					Instant.now().toString()));
			default -> {
				Map<String, Object> generic = new LinkedHashMap<>();
				generic.put("event", approval ? "recovery.approval_needed" : "recovery.person_needed");
				generic.put("run_id", notice.runId().toString());
				generic.put("incident_id", notice.incidentId().toString());
				generic.put("agent", notice.agent());
				generic.put("level", notice.level());
				generic.put("status", notice.status());
				generic.put("reason", notice.reason());
				generic.put("run", link);
				if (approval) {
					generic.put("approve", link + "/approve");
				}
				generic.put("at", Instant.now().toString());
				yield generic;
			}
		};
	}

}
