package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.adapters.http.SlidingWindowRateLimiter;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.SeedPlan;
import dev.crmsync.app.simulate.SimulatorTenants;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * A simulator's settings, as {@link CustomcrmSimulator.Builder#build()} checked and copied them.
 *
 * @param apiKey     the API key accepted, as given; tenant {@code k}'s is {@link #tenantApiKey}
 * @param database   the SQLite file, or null for private databases; tenant {@code k}'s is {@link #tenantDatabase}
 * @param seed       seed of the seed world and of random faults
 * @param seedPlan   what to seed into an empty database, or null for nothing
 * @param clock      the time stamped on changes and seen by the rate limiter
 * @param rateLimit  requests per window per API key; 0 for no limit
 * @param rateWindow the rate limit's window; null when there is no limit
 * @param faults     the standing faults at start
 * @param batch      whether the server offers the contract's optional batch writes, {@code POST /batch}
 * @param tenants    how many tenants the server has, at least 1
 * @param numbered   whether it was built for a number of tenants, whose key and file carry their number
 */
record SimulatorSettings(String apiKey, Path database, long seed, SeedPlan seedPlan, InstantSource clock,
                         int rateLimit, Duration rateWindow, FaultSettings faults, boolean batch, int tenants,
                         boolean numbered) {

    /**
     * @param number a tenant's number
     * @return the API key that reaches it: {@code <apiKey>-<number>}, or the key as given when not numbered
     */
    String tenantApiKey(int number) {
        return SimulatorTenants.credential(apiKey, number, numbered);
    }

    /**
     * @param number a tenant's number
     * @return its SQLite file: {@code customcrm-<number>.db} beside a given {@code customcrm.db}, the given file
     *         itself when not numbered, or null for a private database
     */
    Path tenantDatabase(int number) {
        if (database == null || !numbered) {
            return database;
        }
        String name = database.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String tenantName = dot > 0 ? name.substring(0, dot) + "-" + number + name.substring(dot)
                : name + "-" + number;
        return database.resolveSibling(tenantName);
    }

    /**
     * @param number a tenant's number
     * @return the seed of its seed world and random faults ({@link SimulatorTenants#seed})
     */
    long tenantSeed(int number) {
        return SimulatorTenants.seed(seed, number);
    }

    /**
     * @return a new limiter as the settings describe it; empty when there is no limit
     */
    Optional<SlidingWindowRateLimiter> rateLimiter() {
        return rateLimit == 0 ? Optional.empty()
                : Optional.of(new SlidingWindowRateLimiter(rateLimit, rateWindow, clock));
    }
}
