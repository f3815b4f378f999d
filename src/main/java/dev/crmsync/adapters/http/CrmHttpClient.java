package dev.crmsync.adapters.http;

import dev.crmsync.ports.TransientCrmException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side both connectors share: paces requests under the system's rate limit, authorises them, waits out
 * 429s for as long as {@code Retry-After} says, retries 5xx answers, timeouts and dropped connections with
 * growing pauses, and gives up with a {@link TransientCrmException} when the attempts are spent. Every other
 * answer goes back to the caller, which knows what a 400 or 404 means for its API.
 *
 * <p>A request that is not idempotent (POST or PATCH without an {@code Idempotency-Key}) is retried only after a
 * 429, which the server refused before doing anything. After a 5xx or a lost connection it may have been carried
 * out, so it fails at once with a {@link TransientCrmException} ({@link RequestTimeoutException} when no answer
 * came in time); the caller confirms by the records' stamps what landed before anything is sent again.
 *
 * <p>Messages name the system, method and path, never a credential. The client logs nothing itself; an
 * {@link HttpCallObserver} hears the system, method, status and time of every exchange, never a URL or header.
 *
 * <p>This class is threadsafe.
 */
public final class CrmHttpClient {

    /** An answer, as far as the connectors need it. */
    public record Response(int status, String body, HttpHeaders headers) {

        /**
         * @return the header's first value
         */
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /**
         * @return whether the status is 2xx
         */
        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    /** Puts credentials on requests, and renews them once when the server answers 401. */
    public interface Authenticator {

        /**
         * @param request the request being built
         */
        void authorize(HttpRequest.Builder request);

        /**
         * Called once when an authorised request was answered with 401.
         *
         * @return whether new credentials were obtained, so the request is worth sending again
         */
        boolean renew();
    }

    /**
     * How hard to try.
     *
     * @param maxAttempts   attempts per request, at least 1
     * @param firstBackoff  the pause after the first failure; it doubles with each further failure
     * @param maxBackoff    the longest pause
     * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one is cut to this
     */
    public record RetrySettings(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration maxRetryAfter) {

        public RetrySettings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
            }
        }

        /**
         * @return six attempts, pauses from 1 s doubling to 30 s, Retry-After honoured up to two minutes
         */
        public static RetrySettings ofDefaults() {
            return new RetrySettings(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));
        }
    }

    private final String system;
    private final String observedName;
    private final URI baseUrl;
    private final Duration timeout;
    private final SlidingWindowRateLimiter pacer;
    private final RetrySettings retry;
    private final Sleeper sleeper;
    private final Authenticator auth;
    private final InstantSource clock;
    private final HttpCallObserver observer;
    private final HttpClient http;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    /**
     * @param system            the system's name for messages, e.g. {@code webCRM}
     * @param baseUrl           the API's base URL, without trailing slash
     * @param timeout           the limit on one request
     * @param requestsPerMinute the pace to keep, or 0 for none
     * @param retry             how hard to try
     * @param clock             the time source of the pacing
     * @param sleeper           how to wait
     * @param auth              how to authorise
     */
    public CrmHttpClient(String system, URI baseUrl, Duration timeout, int requestsPerMinute, RetrySettings retry,
                         InstantSource clock, Sleeper sleeper, Authenticator auth) {
        this(system, baseUrl, timeout, requestsPerMinute, retry, clock, sleeper, auth, HttpCallObserver.NONE);
    }

    /**
     * @param system            the system's name for messages, e.g. {@code webCRM}; the observer hears it in lower
     *                          case
     * @param baseUrl           the API's base URL, without trailing slash
     * @param timeout           the limit on one request
     * @param requestsPerMinute the pace to keep, or 0 for none
     * @param retry             how hard to try
     * @param clock             the time source of the pacing and of the observed durations
     * @param sleeper           how to wait
     * @param auth              how to authorise
     * @param observer          told about every exchange; told once where to read the budget if the client paces
     */
    public CrmHttpClient(String system, URI baseUrl, Duration timeout, int requestsPerMinute, RetrySettings retry,
                         InstantSource clock, Sleeper sleeper, Authenticator auth, HttpCallObserver observer) {
        this.system = system;
        this.observedName = system.toLowerCase(Locale.ROOT);
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.pacer = requestsPerMinute > 0
                ? new SlidingWindowRateLimiter(requestsPerMinute, Duration.ofMinutes(1), clock) : null;
        this.retry = retry;
        this.sleeper = sleeper;
        this.auth = auth;
        this.clock = clock;
        this.observer = observer;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        SlidingWindowRateLimiter limiter = pacer;
        if (limiter != null) {
            observer.paced(observedName, () -> new RateBudget(limiter.remaining(system), limiter.limit()));
        }
    }

    /**
     * Sends a request, authorised, paced and retried as described above.
     *
     * @param method      the HTTP method
     * @param pathAndQuery the path below the base URL, with its query, already encoded
     * @param contentType the body's media type, or null without body
     * @param body        the body, or null
     * @param headers     further headers
     * @return the answer: 2xx, or a 4xx other than 429 (and 401 once renewing did not help)
     * @throws TransientCrmException when the attempts are spent on 429s, 5xx, timeouts or dropped connections
     */
    public Response send(String method, String pathAndQuery, String contentType, String body,
                         Map<String, String> headers) {
        boolean idempotent = !(method.equals("POST") || method.equals("PATCH")) || headers.containsKey("Idempotency-Key");
        return send(method, pathAndQuery, contentType, body, headers, idempotent);
    }

    /**
     * Sends a request whose caller knows better than its method whether repeating it is safe, e.g. a login,
     * which is a POST that changes nothing.
     *
     * @param idempotent whether the request may be repeated after a 5xx or a lost connection
     * @see #send(String, String, String, String, Map)
     */
    public Response send(String method, String pathAndQuery, String contentType, String body,
                         Map<String, String> headers, boolean idempotent) {
        String what = system + " " + method + " " + pathOnly(pathAndQuery);
        boolean renewed = false;
        String lastProblem = "no answer";
        Duration backoff = retry.firstBackoff();
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            pace();
            Response response;
            Instant sent = clock.instant();
            try {
                requests.incrementAndGet();
                response = exchange(method, pathAndQuery, contentType, body, headers);
            } catch (IOException e) {
                observer.called(observedName, method, 0, Duration.between(sent, clock.instant()));
                boolean timedOut = e instanceof HttpTimeoutException;
                lastProblem = timedOut ? "no answer within " + timeout.toSeconds() + " s"
                        : "connection failed (" + e.getClass().getSimpleName() + ")";
                if (!idempotent) {
                    String message = what + ": " + lastProblem
                            + "; it may have landed, so it is not sent again blindly";
                    throw timedOut ? new RequestTimeoutException(message, e) : new TransientCrmException(message, e);
                }
                pause(backoff, what);
                backoff = next(backoff);
                continue;
            }
            int status = response.status();
            observer.called(observedName, method, status, Duration.between(sent, clock.instant()));
            if (status == 401 && !renewed && auth.renew()) {
                renewed = true;
                attempt--;
                continue;
            }
            if (status == 429) {
                throttled.incrementAndGet();
                observer.throttled(observedName);
                lastProblem = "429 Too Many Requests";
                pause(retryAfter(response).orElse(backoff), what);
                backoff = next(backoff);
                continue;
            }
            if (status >= 500) {
                lastProblem = status + " from the server";
                if (!idempotent) {
                    throw new TransientCrmException(what + ": " + lastProblem
                            + "; it may have landed, so it is not sent again blindly", null);
                }
                pause(retryAfter(response).orElse(backoff), what);
                backoff = next(backoff);
                continue;
            }
            return response;
        }
        // Where it was sent, so that a person sees at once which address does not answer; never a credential.
        throw new TransientCrmException(what + " failed after " + retry.maxAttempts() + " attempts: " + lastProblem
                + " (at " + address() + ")", null);
    }

    /**
     * @return requests sent so far, retries included
     */
    public long requestCount() {
        return requests.get();
    }

    /**
     * @return 429 answers met so far
     */
    public long throttledCount() {
        return throttled.get();
    }

    /**
     * @return what is left of the client's own pace in the current window; empty when it does not pace itself
     */
    public Optional<RateBudget> budget() {
        return pacer == null ? Optional.empty() : Optional.of(new RateBudget(pacer.remaining(system), pacer.limit()));
    }

    /**
     * Releases the HTTP client's connections and threads.
     */
    public void close() {
        http.close();
    }

    private Response exchange(String method, String pathAndQuery, String contentType, String body,
                              Map<String, String> headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json, application/problem+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        auth.authorize(request);
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(answer.statusCode(), answer.body(), answer.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientCrmException(system + " request interrupted", e);
        }
    }

    private void pace() {
        if (pacer == null) {
            return;
        }
        Optional<Duration> wait;
        while ((wait = pacer.tryAcquire(system)).isPresent()) {
            pause(wait.get(), system + " rate limit");
        }
    }

    private void pause(Duration duration, String what) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientCrmException(what + " interrupted while waiting", e);
        }
    }

    private Optional<Duration> retryAfter(Response response) {
        return response.header("Retry-After").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.strip());
                Duration wait = Duration.ofSeconds(Math.max(0, seconds));
                return Optional.of(wait.compareTo(retry.maxRetryAfter()) > 0 ? retry.maxRetryAfter() : wait);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : doubled;
    }

    /** The base URL without user information or query, which could carry a credential. */
    private String address() {
        return baseUrl.getScheme() + "://" + baseUrl.getHost() + (baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort())
                + (baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath());
    }

    private static String pathOnly(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }
}
