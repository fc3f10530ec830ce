package io.rebound;

/**
 * The shared things that tests running side by side must take turns with, as JUnit
 * {@code @ResourceLock} keys. Test classes run one after another, but a class may run its
 * own tests side by side ({@code @Execution(CONCURRENT)}) — then it holds
 * {@link #CONTEXT} alone, since the others count what they see in the one shared context
 * — and classes that start Rebound JVMs of their own run beside the rest.
 */
public final class TestLocks {

	/**
	 * The application context every {@link IntegrationTest} shares (read by each, held
	 * alone by a class whose own tests run side by side).
	 */
	public static final String CONTEXT = "rebound-context";

	/** Recovery's kill switch: a test that pauses recovery holds it alone. */
	public static final String RECOVERY_SWITCH = "recovery-switch";

	private TestLocks() {
	}

}
