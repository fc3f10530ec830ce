package io.rebound.errors;

/**
 * A value with a spelling on the wire (JSON, topic names, the database), looked up by it.
 */
interface Wire {

	String wire();

	/**
	 * The constant of {@code type} spelled {@code value} on the wire, or {@code null}.
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
