/**
 * Diagnostics: the one report an operator reads first — the bus (consumer lag, dead
 * letters), PostgreSQL (reachable, pool, migrations), this instance, agents by state with
 * the worst first, and open errors by severity — and running the active checks on demand.
 */
package io.rebound.diagnostics;
