package io.rebound.client;

import java.util.List;

/** Hears a feature of Rebound's feature map go off or come back on. */
@FunctionalInterface
public interface FeatureListener {

	/**
	 * Called from the client's degradation thread.
	 * @param feature the feature
	 * @param enabled whether it is on now
	 * @param why Rebound's reasons it is off (an agent it needs is down or being
	 * recovered); empty when it is on
	 */
	void changed(String feature, boolean enabled, List<String> why);

}
