package io.rebound.shared;

/**
 * A value with a spelling on the wire (JSON, topic names, the database), looked up by it:
 * the one way every module reads its enums back from what it stored or was sent.
 */
public interface Wire {

	String wire();

	/**
	 * The constant of {@code type} spelled {@code value} on the wire.
	 * @param <E> the enum
	 * @param type the enum
	 * @param value its spelling, or {@code null}
	 * @return the constant, or {@code null} when none is spelled so
	 */
	static <E extends Enum<E> & Wire> E lookup(Class<E> type, String value) {
		for (E constant : type.getEnumConstants()) {
			if (constant.wire().equals(value)) {
				return constant;
			}
		}
		return null;
	}

}
