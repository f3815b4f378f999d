/**
 * The reconcile step as a pure function, (link state, changes seen on each side) to (plan of writes, new link
 * state), the field-level three-way merge, and the cycle that drives them through the ports.
 *
 * <p>Layer 2 of the architecture (DESIGN.md section 3): it names no back-end; it reaches the systems and the
 * store only through {@link dev.crmsync.ports}.
 */
package dev.crmsync.engine;
