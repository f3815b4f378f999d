/**
 * What both simulators share: fault injection with its control routes, the sliding-window rate limiter,
 * traffic counting, and the deterministic seed world they draw their data from.
 */
package dev.crmsync.app.simulate;
