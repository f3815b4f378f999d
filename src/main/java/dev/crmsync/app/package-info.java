/**
 * What a person runs: the command line, the service loop, the management API and dashboard, and the
 * simulators of both systems.
 *
 * <p>Layer 5 of the architecture (DESIGN.md section 3): it wires the inner layers together.
 */
package dev.crmsync.app;
