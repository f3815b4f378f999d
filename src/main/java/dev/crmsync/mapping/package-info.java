/**
 * How a record of one side becomes canonical values and back: the property tables of each flow as
 * configuration, value transforms (country name and ISO code, status value maps, date and date-time),
 * normalisation of match keys, and hashing.
 *
 * <p>Layer 1 of the architecture (DESIGN.md section 3): pure, no I/O.
 */
package dev.crmsync.mapping;
