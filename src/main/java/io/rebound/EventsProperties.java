package io.rebound;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cross-feature application events.
 *
 * @param redeliverAfter an event whose listener has not completed this long after it was
 * published (the instance died, or the listener failed) is delivered again, by the
 * recovery leader; looked for every {@code redeliverAfter} / 2
 */
@ConfigurationProperties("rebound.events")
record EventsProperties(@DefaultValue("1m") Duration redeliverAfter) {

}
