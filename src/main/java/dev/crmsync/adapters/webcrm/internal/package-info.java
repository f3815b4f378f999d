/**
 * The workings of the webCRM connector, not for use outside {@code dev.crmsync.adapters.webcrm}:
 * <ul>
 *   <li>{@link dev.crmsync.adapters.webcrm.internal.WebcrmSession}: login and token renewal;</li>
 *   <li>{@link dev.crmsync.adapters.webcrm.internal.QueryPager}: {@code /Queries} pages, retrying unreadable
 *       ones;</li>
 *   <li>{@link dev.crmsync.adapters.webcrm.internal.WebcrmScripts}: the query scripts;</li>
 *   <li>{@link dev.crmsync.adapters.webcrm.internal.WebcrmRows}, {@link dev.crmsync.adapters.webcrm.internal.WebcrmJson},
 *       {@link dev.crmsync.adapters.webcrm.internal.WebcrmTime}: rows to records, JSON, timestamps;</li>
 *   <li>{@link dev.crmsync.adapters.webcrm.internal.WebcrmWriter}: creates, updates and deletes;</li>
 *   <li>{@link dev.crmsync.adapters.webcrm.internal.FieldsMetadataReader}: the tenant's field metadata.</li>
 * </ul>
 *
 * <p>All types are threadsafe.
 */
package dev.crmsync.adapters.webcrm.internal;
