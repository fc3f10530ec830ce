package io.rebound.degradation;

import java.time.Instant;
import java.util.List;

/**
 * The fleet's degradation level or its features off changed; published by the instance
 * that leads recovery, after the change is stored.
 *
 * @param from the level before
 * @param to the level now
 * @param featuresOff the features off now
 * @param why for a person: what turned which feature off or on
 * @param at when (Rebound's clock)
 */
public record DegradationChanged(FleetLevel from, FleetLevel to, List<String> featuresOff, String why, Instant at) {

}
