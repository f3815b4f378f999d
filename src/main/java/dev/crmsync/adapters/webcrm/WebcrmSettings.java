package dev.crmsync.adapters.webcrm;

import dev.crmsync.model.Secret;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How to reach a webCRM account.
 *
 * @param url               the API's base URL, e.g. {@code https://api.webcrm.com}
 * @param token             the application token (the REST API key) used to log in
 * @param timeZone          the zone webCRM's offset-less timestamps are read in
 * @param overlap           how far before the last cursor each incremental read starts, to catch records whose
 *                          coarse or skewed timestamps fall just before it
 * @param pageSize          records per page, 1 to 1000
 * @param requestsPerMinute the rate the connector paces itself to, at most webCRM's 250
 * @param timeout           the limit on one HTTP request
 */
public record WebcrmSettings(URI url, Secret token, ZoneId timeZone, Duration overlap, int pageSize,
                             int requestsPerMinute, Duration timeout) {

    public WebcrmSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(timeout, "timeout");
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be 1..1000: " + pageSize);
        }
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requestsPerMinute must be >= 1: " + requestsPerMinute);
        }
    }
}
