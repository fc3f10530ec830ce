package io.rebound.recovery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * What a ladder step leaves to do after its commit: calls to make for an attempt, or
 * people to tell.
 *
 * @param run the run, or {@code null} with only a notice
 * @param attempt the attempt the calls belong to
 * @param strategy its strategy
 * @param actions the calls
 * @param timeout each call's timeout
 * @param notice people to tell, or {@code null}
 */
record Pending(RecoveryStore.Run run, UUID attempt, String strategy, List<Strategy.Action> actions, Duration timeout,
		NotifyExecutor.Notice notice) {

	static Pending tell(NotifyExecutor.Notice notice) {
		return new Pending(null, null, null, List.of(), null, notice);
	}

}
