/**
 * Graceful degradation: a feature map in configuration (feature → the agents it needs,
 * and how much the feature matters), which features are off while an agent they need is
 * down or being recovered, and the fleet's degradation level computed from them — Full,
 * Minor, Moderate, Severe, Minimal, Emergency — served at {@code GET /api/degradation},
 * as metrics, and as a {@link io.rebound.degradation.DegradationChanged} event on every
 * change.
 */
package io.rebound.degradation;
