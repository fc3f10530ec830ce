package io.rebound.errors;

/**
 * Whether an error is escalating, as a pure function of its events per hour, in the
 * spirit of Sentry's escalating issues: the hour's count against a forecast from the
 * error's own last seven days — its busiest hour then, times a multiplier that is bounded
 * and shrinks as the volume grows (5× for an error that came at most 10 times an hour, 2×
 * from 1,000 an hour, log-linear between), and never fewer than a floor of events. A
 * quiet error that comes back in force escalates; a busy one must at least double its
 * worst hour.
 */
final class Escalation {

	private Escalation() {
	}

	/**
	 * The multiplier for an error whose busiest hour of the week had this many events.
	 */
	static double multiplier(long baseline) {
		if (baseline <= 10) {
			return 5;
		}
		if (baseline >= 1000) {
			return 2;
		}
		return 5 - 1.5 * (Math.log10(baseline) - 1);
	}

	/** The events in an hour at which an error with this busiest hour escalates. */
	static long forecast(long baseline, long minEvents) {
		return Math.max(minEvents, (long) Math.ceil(multiplier(baseline) * baseline));
	}

	static boolean escalates(long count, long baseline, long minEvents) {
		return count >= forecast(baseline, minEvents);
	}

}
