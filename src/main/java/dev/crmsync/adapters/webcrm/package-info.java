/**
 * The webCRM connector: {@link dev.crmsync.adapters.webcrm.WebcrmConnector} implements
 * {@link dev.crmsync.ports.Connector} over webCRM REST API v1, configured by
 * {@link dev.crmsync.adapters.webcrm.WebcrmSettings}. Beside the port, it reads the tenant's field metadata
 * ({@link dev.crmsync.adapters.webcrm.WebcrmFieldMetadata}), which
 * {@link dev.crmsync.adapters.webcrm.WebcrmTenantFields} uses to find a custom field by its label.
 *
 * <p>What shapes it is in {@code docs/webcrm/API-NOTES.md}: bearer login with an application token (§2), bare
 * array paging (§3), incremental reads through {@code /Queries} (§6), bulk upserts of whole objects by
 * {@code PATCH} (§7.3), DELETE for products only and no tombstones (§8), 250 requests a minute with 429 and
 * {@code Retry-After} (§10), offset-less timestamps (§12). The workings are in {@code internal}.
 */
package dev.crmsync.adapters.webcrm;
