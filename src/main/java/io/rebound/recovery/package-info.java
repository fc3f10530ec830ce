/**
 * Recovery: the progressive five-level ladder that acts on incidents. So far it owns the
 * leadership of recovery — a PostgreSQL lease with a fencing token, so that exactly one
 * Rebound instance orchestrates recovery and a former leader's late writes can be
 * refused. The ladder, strategies, executors and verification build on it.
 */
package io.rebound.recovery;
