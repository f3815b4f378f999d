/**
 * The values a sync talks about: the two {@link dev.crmsync.model.Side sides}, the three
 * {@link dev.crmsync.model.Flow flows}, records as read from a side, canonical field values, and links.
 *
 * <p>Layer 1 of the architecture (DESIGN.md section 3): pure Java, no I/O, no HTTP, SQL or framework types. An
 * ArchUnit test keeps it so.
 */
package dev.crmsync.model;
