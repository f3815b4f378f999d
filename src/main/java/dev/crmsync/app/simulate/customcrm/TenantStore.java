package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.HookDelivery;
import dev.crmsync.app.simulate.SeedWorld;

/**
 * One tenant's data while the reference server runs: its own database, the records and change feed on it, and its
 * webhook subscriptions. Tenants share nothing here, so no query needs to say whose data it means.
 *
 * <p>This class is threadsafe.
 *
 * @param db       the tenant's database
 * @param records  the records on it
 * @param feed     the change feed over it
 * @param webhooks the tenant's webhook subscriptions, told of every change to {@code records}
 */
record TenantStore(CustomcrmDatabase db, CustomcrmRecords records, ChangeFeed feed, WebhookSubscriptions webhooks) {

    /**
     * Opens (or creates) the tenant's database and seeds it when it is empty and the settings have a seed plan.
     *
     * @param settings the simulator's settings
     * @param tenant   the tenant
     * @param delivery how the tenant's webhooks go out; closed with the store
     * @return the open store
     */
    static TenantStore open(SimulatorSettings settings, CustomcrmTenant tenant, HookDelivery delivery) {
        CustomcrmDatabase db = CustomcrmDatabase.open(tenant.databaseFile().orElse(null));
        try {
            CustomcrmRecords records = new CustomcrmRecords(db, settings.clock());
            if (settings.seedPlan() != null && records.isEmpty()) {
                CustomcrmSeeder.seed(records, new SeedWorld(settings.tenantSeed(tenant.number())), settings.seedPlan());
            }
            WebhookSubscriptions webhooks = new WebhookSubscriptions(settings.clock(), delivery);
            records.onChange(webhooks::changed);
            return new TenantStore(db, records, new ChangeFeed(db), webhooks);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Stops delivering webhooks, then closes the database. */
    void close() {
        webhooks.close();
        db.close();
    }
}
