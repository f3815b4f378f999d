package dev.crmsync.adapters.customcrm;

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
 */
public record CustomcrmSettings(URI url, Secret apiKey, int pageSize, Duration timeout) {

    public CustomcrmSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(timeout, "timeout");
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be 1..1000: " + pageSize);
        }
    }
}
