package io.rebound.degradation;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of graceful degradation, under {@code rebound.degradation}.
 *
 * @param interval how often the features and the level are judged again
 * @param features the feature map: each feature by name
 */
@ConfigurationProperties("rebound.degradation")
record DegradationProperties(@DefaultValue("2s") Duration interval, Map<String, Feature> features) {

	static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

	DegradationProperties {
		features = (features != null) ? Map.copyOf(features) : Map.of();
		features.forEach((name, feature) -> {
			if (!NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("rebound.degradation.features: '" + name
						+ "' must be 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
			}
			if (feature.needs().isEmpty()) {
				throw new IllegalArgumentException(
						"rebound.degradation.features." + name + ".needs: name at least one agent");
			}
		});
		if (interval.toMillis() < 100) {
			throw new IllegalArgumentException("rebound.degradation.interval: at least 100ms");
		}
	}

	/**
	 * One feature of the fleet.
	 *
	 * @param needs the ids of the agents it cannot work without
	 * @param criticality how much it matters: {@code essential}, {@code critical},
	 * {@code important} (the default) or {@code optional}
	 * @param description for a person, or {@code null}
	 */
	record Feature(List<String> needs, @DefaultValue("important") Criticality criticality, String description) {

		Feature {
			needs = (needs != null) ? List.copyOf(needs) : List.of();
		}

	}

	/** How much a feature matters, least last. */
	enum Criticality {

		ESSENTIAL, CRITICAL, IMPORTANT, OPTIONAL;

		String wire() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
