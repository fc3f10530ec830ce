package io.rebound.client;

/** Carries one control verb out for the agent. */
@FunctionalInterface
public interface ControlHandler {

	/**
	 * Carries the call out; an exception is answered as failed ({@code 500}).
	 * @param call what Rebound asks
	 * @return the answer
	 * @throws Exception when it failed
	 */
	ControlAnswer handle(ControlCall call) throws Exception;

}
