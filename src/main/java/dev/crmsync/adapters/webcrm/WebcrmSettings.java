package dev.crmsync.adapters.webcrm;

import dev.crmsync.adapters.http.Resilience;
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
 * @param writeBatchSize    records per bulk {@code PATCH}, 1 to 1000; webCRM documents no limit, so a batch it
 *                          refuses as a whole is halved, and the size that passed is kept
 * @param resilience        how requests are tried again, and when webCRM is left alone
 */
public record WebcrmSettings(URI url, Secret token, ZoneId timeZone, Duration overlap, int pageSize,
                             int requestsPerMinute, Duration timeout, int writeBatchSize,
                             Resilience resilience) {

    /**
     * Records per bulk write unless configured: one engine batch ({@code sync.batch-size}) in one request, and
     * no more than one {@code /Queries} page (1000 rows) to read back its stamps.
     */
    public static final int DEFAULT_WRITE_BATCH_SIZE = 500;
    /** The most records one bulk write may carry: what one {@code /Queries} page can confirm. */
    public static final int MAX_WRITE_BATCH_SIZE = 1000;

    public WebcrmSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(resilience, "resilience");
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be 1..1000: " + pageSize);
        }
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requestsPerMinute must be >= 1: " + requestsPerMinute);
        }
        if (writeBatchSize < 1 || writeBatchSize > MAX_WRITE_BATCH_SIZE) {
            throw new IllegalArgumentException("writeBatchSize must be 1.." + MAX_WRITE_BATCH_SIZE + ": "
                    + writeBatchSize);
        }
    }

    /**
     * Settings with the default {@link #DEFAULT_WRITE_BATCH_SIZE}.
     */
    public WebcrmSettings(URI url, Secret token, ZoneId timeZone, Duration overlap, int pageSize,
                          int requestsPerMinute, Duration timeout) {
        this(url, token, timeZone, overlap, pageSize, requestsPerMinute, timeout, DEFAULT_WRITE_BATCH_SIZE);
    }

    /**
     * Settings with the default {@link Resilience}.
     */
    public WebcrmSettings(URI url, Secret token, ZoneId timeZone, Duration overlap, int pageSize,
                          int requestsPerMinute, Duration timeout, int writeBatchSize) {
        this(url, token, timeZone, overlap, pageSize, requestsPerMinute, timeout, writeBatchSize,
                Resilience.ofDefaults());
    }
}
