/**
 * The interfaces the engine drives: a {@code Connector} per system and the {@code Store} of links, cursors,
 * outbox, dead letters, history and conflicts.
 *
 * <p>Layer 3 of the architecture (DESIGN.md section 3): interfaces and values only.
 */
package dev.crmsync.ports;
