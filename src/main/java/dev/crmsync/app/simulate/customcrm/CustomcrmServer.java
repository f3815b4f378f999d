package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.FaultFilter;
import dev.crmsync.app.simulate.HookDelivery;
import dev.crmsync.app.simulate.SimulatedTenant;
import dev.crmsync.app.simulate.SimulatorControl;
import dev.crmsync.app.simulate.SimulatorServers;
import dev.crmsync.app.simulate.SimulatorTenants;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Set;
import java.util.function.Function;

/**
 * One run of the reference server, from start to stop: each tenant's database and the records on it, and the one
 * HTTP server in front of them all.
 *
 * <p>This class is threadsafe.
 */
final class CustomcrmServer {

    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    /**
     * Javalin refuses bodies over 1 MB by default; a full batch of 1000 records with long notes can be larger, and
     * a server that takes the contract's most items must take their bytes too.
     */
    private static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;

    private final SimulatorTenants<CustomcrmTenant> tenants;
    /** Sends every tenant's webhooks: one client for all, so that a tenant costs no thread. */
    private final HookDelivery hookDelivery;
    private final Javalin http;

    private CustomcrmServer(SimulatorTenants<CustomcrmTenant> tenants, HookDelivery hookDelivery, Javalin http) {
        this.tenants = tenants;
        this.hookDelivery = hookDelivery;
        this.http = http;
    }

    /**
     * Opens (or creates) each tenant's database, seeds it when it is empty and the settings have a seed plan, and
     * starts serving.
     *
     * @param settings the simulator's settings
     * @param tenants  the simulator's tenants, with their faults, traffic logs and revocations
     * @param host     the address to listen on
     * @param port     the port; 0 for any free one
     * @return the running server
     */
    static CustomcrmServer start(SimulatorSettings settings, SimulatorTenants<CustomcrmTenant> tenants, String host,
                                 int port) {
        HookDelivery hookDelivery = new HookDelivery();
        try {
            for (CustomcrmTenant tenant : tenants.all()) {
                tenant.attachStore(TenantStore.open(settings, tenant, hookDelivery.sharingClient()));
            }
            Function<Context, TenantStore> store = ctx -> tenants.of(ctx).store();
            CustomcrmApi api = new CustomcrmApi(ctx -> store.apply(ctx).records(), ctx -> store.apply(ctx).feed(),
                    ServedContract.of(settings.batch()));
            AccessGuard guard = new AccessGuard(tenants, settings.rateLimiter(), WRITE_METHODS);
            Javalin http = SimulatorServers.create(cfg -> {
                cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
                SimulatorControl.install(cfg, tenants, (method, route) -> WRITE_METHODS.contains(method));
                // Before-handlers run in this order: the key names the tenant, whose injected fault comes next, as
                // from a failing proxy in front of its CRM; only then are the key and the rate limit checked.
                guard.installIdentification(cfg);
                FaultFilter.install(cfg, ctx -> tenants.attributed(ctx).map(SimulatedTenant::faults),
                        (ctx, status, retryAfter) -> Problem.ofFault(status, retryAfter).writeTo(ctx),
                        (method, route) -> WRITE_METHODS.contains(method));
                guard.install(cfg);
                api.install(cfg);
                if (settings.batch()) {
                    new BatchRoutes(ctx -> store.apply(ctx).records()).install(cfg);
                }
                new WebhookRoutes(ctx -> store.apply(ctx).webhooks()).install(cfg);
                Problem.installHandlers(cfg);
            }).start(host, port);
            return new CustomcrmServer(tenants, hookDelivery, http);
        } catch (RuntimeException e) {
            closeStores(tenants, hookDelivery);
            throw e;
        }
    }

    /**
     * @return the port the server listens on
     */
    int port() {
        return http.port();
    }

    /** Stops serving and delivering, then closes the databases. */
    void stop() {
        http.stop();
        closeStores(tenants, hookDelivery);
    }

    private static void closeStores(SimulatorTenants<CustomcrmTenant> tenants, HookDelivery hookDelivery) {
        // A start that failed half-way opened only some.
        tenants.all().forEach(tenant -> tenant.detachStore().ifPresent(TenantStore::close));
        hookDelivery.close();
    }
}
