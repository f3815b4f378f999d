package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.CredentialRevocation;
import dev.crmsync.app.simulate.FaultFilter;
import dev.crmsync.app.simulate.FaultInjector;
import dev.crmsync.app.simulate.SeedWorld;
import dev.crmsync.app.simulate.SimulatorControl;
import dev.crmsync.app.simulate.SimulatorServers;
import dev.crmsync.app.simulate.TrafficLog;
import io.javalin.Javalin;
import java.util.Set;

/**
 * One run of the reference server, from start to stop: its database, the records on it, and the HTTP server.
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

    private final CustomcrmDatabase db;
    private final CustomcrmRecords records;
    private final WebhookSubscriptions webhooks;
    private final Javalin http;

    private CustomcrmServer(CustomcrmDatabase db, CustomcrmRecords records, WebhookSubscriptions webhooks,
                            Javalin http) {
        this.db = db;
        this.records = records;
        this.webhooks = webhooks;
        this.http = http;
    }

    /**
     * Opens (or creates) the database, seeds it when it is empty and the settings have a seed plan, and starts
     * serving.
     *
     * @param settings the simulator's settings
     * @param faults   the simulator's fault injector
     * @param traffic  the simulator's traffic log
     * @param revoked  whether the API key is revoked
     * @param host     the address to listen on
     * @param port     the port; 0 for any free one
     * @return the running server
     */
    static CustomcrmServer start(SimulatorSettings settings, FaultInjector faults, TrafficLog traffic,
                                 CredentialRevocation revoked, String host, int port) {
        CustomcrmDatabase db = CustomcrmDatabase.open(settings.database());
        try {
            CustomcrmRecords records = new CustomcrmRecords(db, settings.clock());
            if (settings.seedPlan() != null && records.isEmpty()) {
                CustomcrmSeeder.seed(records, new SeedWorld(settings.seed()), settings.seedPlan());
            }
            WebhookSubscriptions webhooks = new WebhookSubscriptions(settings.clock());
            records.onChange(webhooks::changed);
            CustomcrmApi api = new CustomcrmApi(records, new ChangeFeed(db), ServedContract.of(settings.batch()));
            AccessGuard guard = new AccessGuard(settings.apiKey(), settings.rateLimiter(), revoked, WRITE_METHODS);
            Javalin http = SimulatorServers.create(cfg -> {
                cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
                SimulatorControl.install(cfg, faults, traffic, (method, route) -> WRITE_METHODS.contains(method));
                revoked.install(cfg);
                // Before-handlers run in this order: an injected fault comes first, as from a failing proxy in
                // front of the CRM; only then are the key and the rate limit checked.
                FaultFilter.install(cfg, faults, (ctx, status, retryAfter) ->
                        Problem.ofFault(status, retryAfter).writeTo(ctx),
                        (method, route) -> WRITE_METHODS.contains(method));
                guard.install(cfg);
                api.install(cfg);
                if (settings.batch()) {
                    new BatchRoutes(records).install(cfg);
                }
                new WebhookRoutes(webhooks).install(cfg);
                Problem.installHandlers(cfg);
            }).start(host, port);
            return new CustomcrmServer(db, records, webhooks, http);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * @return the port the server listens on
     */
    int port() {
        return http.port();
    }

    /**
     * @return the records, for changes that skip HTTP
     */
    CustomcrmRecords records() {
        return records;
    }

    /**
     * @return the webhook subscriptions, for tests that wait for deliveries
     */
    WebhookSubscriptions webhooks() {
        return webhooks;
    }

    /** Stops serving and delivering, then closes the database. */
    void stop() {
        http.stop();
        webhooks.close();
        db.close();
    }
}
