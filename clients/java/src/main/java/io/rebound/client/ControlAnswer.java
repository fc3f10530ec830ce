package io.rebound.client;

/**
 * What a control handler answers, as the control contract's status.
 *
 * @param status {@code 200} done, {@code 202} accepted and still working, {@code 409} not
 * applicable here, {@code 500} failed
 * @param detail a word on it
 */
public record ControlAnswer(int status, String detail) {

	public static ControlAnswer done() {
		return new ControlAnswer(200, "done");
	}

	public static ControlAnswer accepted(String detail) {
		return new ControlAnswer(202, detail);
	}

	public static ControlAnswer notApplicable(String why) {
		return new ControlAnswer(409, why);
	}

	public static ControlAnswer failed(String why) {
		return new ControlAnswer(500, why);
	}

}
