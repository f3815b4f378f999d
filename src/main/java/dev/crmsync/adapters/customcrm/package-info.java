/**
 * The Customcrm connector: crmsync's side of the contract it publishes for a customer's own CRM
 * ({@code contracts/customcrm-openapi.yaml}, reference server {@code crmsync simulate customcrm}).
 *
 * <p>{@link dev.crmsync.adapters.customcrm.CustomcrmConnector} is the public entry, configured by
 * {@link dev.crmsync.adapters.customcrm.CustomcrmSettings}; the other types of this package read and write the
 * contract's JSON and are not part of the API.
 *
 * @see dev.crmsync.ports.Connector
 */
package dev.crmsync.adapters.customcrm;
