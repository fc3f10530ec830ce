package io.rebound.degradation;

import java.time.Instant;
import java.util.List;

import io.rebound.degradation.FeatureMap.FeatureState;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/degradation}: the fleet's level, its features, and the last changes.
 */
@RestController
@RequestMapping("/api/degradation")
class DegradationController {

	private final Degradation degradation;

	DegradationController(Degradation degradation) {
		this.degradation = degradation;
	}

	/**
	 * The answer.
	 *
	 * @param level the fleet's level
	 * @param since since when it and the features off hold (this instance's judgement)
	 * @param featuresOff the features off
	 * @param features every feature: on or off, and why
	 * @param changes the last 20 stored changes, newest first
	 */
	record DegradationView(FleetLevel level, Instant since, List<String> featuresOff, List<FeatureState> features,
			List<Degradation.Change> changes) {
	}

	@GetMapping
	DegradationView get() {
		Degradation.Judged judged = this.degradation.current();
		return new DegradationView(judged.assessment().level(), judged.since(), judged.assessment().off(),
				judged.assessment().features(), this.degradation.changes(20));
	}

}
