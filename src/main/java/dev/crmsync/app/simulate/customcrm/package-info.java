/**
 * The reference server of the Customcrm contract, {@code contracts/customcrm-openapi.yaml}: the contract crmsync
 * defines for a customer's own CRM, here served from a real SQLite database so that tests, the demo and
 * benchmarks sync against the same behaviour a real implementation must show.
 *
 * <p>{@link dev.crmsync.app.simulate.customcrm.CustomcrmSimulator} is the public entry point. Inside: the HTTP
 * side ({@code CustomcrmApi}, {@code AccessGuard}, {@code Problem}, {@code ServedContract}), the rules of every
 * change ({@code RecordWrite}, {@code CustomcrmRecords}, {@code CustomcrmValidator}, {@code MergePatch}), the change
 * feed ({@code ChangeFeed}), the database ({@code CustomcrmDatabase}, {@code RecordStore}, {@code IdempotencyKeys}),
 * the optional batch writes ({@code BatchRoutes}: many writes in one request, each held to its own route's rules)
 * and the optional webhooks ({@code WebhookRoutes}, {@code WebhookSubscriptions}, {@code WebhookSignature}):
 * signed, asynchronous notices of every change. One server can serve many tenants, told apart by API key
 * ({@link dev.crmsync.app.simulate.customcrm.CustomcrmTenant}), each on a database of its own ({@code TenantStore}).
 */
package dev.crmsync.app.simulate.customcrm;
