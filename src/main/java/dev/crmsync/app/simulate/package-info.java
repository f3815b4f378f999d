/**
 * What both simulators share: fault injection with its control routes, the sliding-window rate limiter,
 * traffic counting, the deterministic seed world they draw their data from, and the tenants
 * ({@link dev.crmsync.app.simulate.SimulatorTenants}) that let one simulator stand for many customers' systems.
 */
package dev.crmsync.app.simulate;
