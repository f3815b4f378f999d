/**
 * {@code crmsync check}, the preflight: {@link dev.crmsync.app.check.Preflight} reaches both systems with a
 * configuration, samples one page of each record type, reads webCRM's field metadata and the Customcrm contract,
 * and reports every problem of the mappings as a {@link dev.crmsync.app.check.Finding} in a
 * {@link dev.crmsync.app.check.PreflightReport}. It writes nothing.
 *
 * <p>The checks are split by what they look at: property names and required fields ({@code PropertyChecks}),
 * sampled values ({@code ValueChecks}), link stamps ({@code StampChecks}); {@code CustomcrmContract} reads the
 * published OpenAPI document. Only the preflight's public types are threadsafe where their Javadoc says so.
 */
package dev.crmsync.app.check;
