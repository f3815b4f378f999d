package dev.crmsync.app.config;

import dev.crmsync.adapters.http.RetryPolicy;
import dev.crmsync.model.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The optional {@code notify:} section: where {@code crmsync run} POSTs an event when a flow starts failing,
 * recovers, is held by the delete circuit breaker, or its dead letters reach a threshold.
 *
 * @param url                 the receiver, e.g. a chat's incoming webhook. Such a URL often carries its secret in
 *                            the path, so only {@link #shownUrl()} is ever logged
 * @param headers             headers sent with every event (e.g. {@code Authorization}); their values are secrets
 * @param timeout             the limit on one attempt
 * @param retry               how hard to try one event, through crmsync's one {@link RetryPolicy}
 * @param deadLetterThreshold an event when a flow's dead letters reach this many; 0 for no such events
 */
public record NotifySettings(URI url, Map<String, Secret> headers, Duration timeout, RetryPolicy.Settings retry,
                             int deadLetterThreshold) {

    /** A pause a receiver asks for ({@code Retry-After}) is honoured up to this. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(1);

    public NotifySettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retry, "retry");
        headers = Map.copyOf(headers);
        if (deadLetterThreshold < 0) {
            throw new IllegalArgumentException("deadLetterThreshold must be 0 or more: " + deadLetterThreshold);
        }
    }

    /**
     * @return the receiver as a log line may name it: scheme, host and port, with {@code /…} for a path, and never
     *         the path, query or user info, which may hold a secret (a chat webhook's token is its path)
     */
    public String shownUrl() {
        String path = url.getRawPath();
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (path == null || path.isEmpty() || path.equals("/") ? "" : "/…");
    }

    @Override
    public String toString() {
        return "NotifySettings[url=" + shownUrl() + ", headers=" + headers.keySet() + ", timeout=" + timeout
                + ", retry=" + retry + ", deadLetterThreshold=" + deadLetterThreshold + "]";
    }
}
