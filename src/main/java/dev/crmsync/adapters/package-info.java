/**
 * The implementations of the ports: the webCRM and Customcrm connectors over HTTP, and the SQL stores.
 *
 * <p>Layer 4 of the architecture (DESIGN.md section 3).
 */
package dev.crmsync.adapters;
