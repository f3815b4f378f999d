package dev.crmsync.adapters.customcrm;

import dev.crmsync.adapters.http.Resilience;
import dev.crmsync.model.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a Customcrm.
 *
 * @param url      the API's base URL
 * @param apiKey   the API key sent as a bearer token
 * @param pageSize records per change-feed page, 1 to 1000
 * @param timeout  the limit on one HTTP request
 * @param writeBatchSize writes per batch request ({@code POST /batch}) where the server offers one, 1 to 1000;
 *                       1 sends every write on its own route
 * @param resilience how requests are tried again, and when Customcrm is left alone
 */
public record CustomcrmSettings(URI url, Secret apiKey, int pageSize, Duration timeout, int writeBatchSize,
                                Resilience resilience) {

    /** Writes per batch request unless configured: one engine batch ({@code sync.batch-size}) in one request. */
    public static final int DEFAULT_WRITE_BATCH_SIZE = 500;
    /** The most writes one batch request may carry. */
    public static final int MAX_WRITE_BATCH_SIZE = 1000;

    public CustomcrmSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(resilience, "resilience");
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be 1..1000: " + pageSize);
        }
        if (writeBatchSize < 1 || writeBatchSize > MAX_WRITE_BATCH_SIZE) {
            throw new IllegalArgumentException("writeBatchSize must be 1.." + MAX_WRITE_BATCH_SIZE + ": "
                    + writeBatchSize);
        }
    }

    /**
     * Settings with the default {@link #DEFAULT_WRITE_BATCH_SIZE}.
     */
    public CustomcrmSettings(URI url, Secret apiKey, int pageSize, Duration timeout) {
        this(url, apiKey, pageSize, timeout, DEFAULT_WRITE_BATCH_SIZE);
    }

    /**
     * Settings with the default {@link Resilience}.
     */
    public CustomcrmSettings(URI url, Secret apiKey, int pageSize, Duration timeout, int writeBatchSize) {
        this(url, apiKey, pageSize, timeout, writeBatchSize, Resilience.ofDefaults());
    }
}
