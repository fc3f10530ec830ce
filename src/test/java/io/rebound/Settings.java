package io.rebound;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Settings records for unit tests, bound the way the application binds them: by name,
 * with every other setting at its default.
 */
public final class Settings {

	private Settings() {
	}

	/**
	 * The settings under {@code prefix}, with these {@code name=value} pairs (names
	 * relative to the prefix).
	 * @param <T> the settings record
	 * @param prefix the settings' prefix, e.g. {@code rebound.correlation}
	 * @param type the settings record
	 * @param pairs {@code name=value}, e.g. {@code "burst.events=5"}
	 * @return the settings
	 */
	public static <T> T bind(String prefix, Class<T> type, String... pairs) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String pair : pairs) {
			int at = pair.indexOf('=');
			if (at < 1) {
				throw new IllegalArgumentException("'" + pair + "' is not name=value");
			}
			values.put(prefix + "." + pair.substring(0, at), pair.substring(at + 1));
		}
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, type);
	}

}
