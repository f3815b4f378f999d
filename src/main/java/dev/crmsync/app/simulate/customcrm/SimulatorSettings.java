package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.adapters.http.SlidingWindowRateLimiter;
import dev.crmsync.app.simulate.FaultSettings;
import dev.crmsync.app.simulate.SeedPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * A simulator's settings, as {@link CustomcrmSimulator.Builder#build()} checked and copied them.
 *
 * @param apiKey     the one API key accepted
 * @param database   the SQLite file, or null for a private database
 * @param seed       seed of the seed world and of random faults
 * @param seedPlan   what to seed into an empty database, or null for nothing
 * @param clock      the time stamped on changes and seen by the rate limiter
 * @param rateLimit  requests per window per API key; 0 for no limit
 * @param rateWindow the rate limit's window; null when there is no limit
 * @param faults     the standing faults at start
 * @param batch      whether the server offers the contract's optional batch writes, {@code POST /batch}
 */
record SimulatorSettings(String apiKey, Path database, long seed, SeedPlan seedPlan, InstantSource clock,
                         int rateLimit, Duration rateWindow, FaultSettings faults, boolean batch) {

    /**
     * @return a new limiter as the settings describe it; empty when there is no limit
     */
    Optional<SlidingWindowRateLimiter> rateLimiter() {
        return rateLimit == 0 ? Optional.empty()
                : Optional.of(new SlidingWindowRateLimiter(rateLimit, rateWindow, clock));
    }
}
