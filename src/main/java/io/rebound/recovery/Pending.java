package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What a ladder step leaves to do after its commit: the calls to make for an attempt.
 *
 * @param run the run
 * @param attempt the attempt the calls belong to
 * @param strategy its strategy
 * @param actions the calls
 * @param timeout each call's timeout
 */
record Pending(RecoveryStore.Run run, UUID attempt, String strategy, List<Strategy.Action> actions, Duration timeout) {

}
