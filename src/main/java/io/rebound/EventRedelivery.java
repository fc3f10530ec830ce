package io.rebound;

import io.rebound.recovery.RecoveryLeadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Delivers again the cross-feature events whose listener did not complete: Spring
 * Modulith's registry stored each with the transaction that published it, so an instance
 * that died after the commit, or a listener that failed, loses nothing. One instance (the
 * recovery leader) does it, so the others' events in flight are not delivered twice;
 * listeners are idempotent all the same.
 */
@Component
class EventRedelivery {

	private static final Logger log = LoggerFactory.getLogger(EventRedelivery.class);

	private final IncompleteEventPublications incomplete;

	private final RecoveryLeadership leadership;

	private final EventsProperties properties;

	EventRedelivery(IncompleteEventPublications incomplete, RecoveryLeadership leadership,
			EventsProperties properties) {
		this.incomplete = incomplete;
		this.leadership = leadership;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "#{@'rebound.events-io.rebound.EventsProperties'.redeliverAfter().toMillis() / 2}",
			initialDelayString = "#{@'rebound.events-io.rebound.EventsProperties'.redeliverAfter().toMillis()}")
	void redeliver() {
		if (!this.leadership.leading()) {
			return;
		}
		try {
			this.incomplete.resubmitIncompletePublicationsOlderThan(this.properties.redeliverAfter());
		}
		catch (RuntimeException ex) {
			log.warn("Delivering incomplete events again failed; tried again later: {}", ex.toString());
		}
	}

}
