package dev.crmsync.adapters.http;

import dev.crmsync.ports.TransientCrmException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side both connectors share: paces requests under the system's rate limit, authorises them, sets a
 * timeout on every request, and tries again under crmsync's one {@link RetryPolicy}: 429s for as long as the
 * server asks, 5xx answers, timeouts and dropped connections after growing, jittered pauses; then it gives up with a
 * {@link TransientCrmException}. Every other answer goes back to the caller, which knows what a 400 or 404 means
 * for its API.
 *
 * <p>A request that is not idempotent (POST or PATCH without an {@code Idempotency-Key}) is retried only after a
 * 429, which the server refused before doing anything. After a 5xx or a lost connection it may have been carried
 * out, so it fails at once with a {@link TransientCrmException} ({@link RequestTimeoutException} when no answer
 * came in time); the caller confirms by the records' stamps what landed before anything is sent again.
 *
 * <p>Each client has a {@link CircuitBreaker}: a system that failed every attempt of a request is left alone until
 * its trial time, and requests meanwhile fail at once with {@link SystemDownException}.
 *
 * <p>Messages name the system, method, path and the address without credentials. A failed attempt is logged as a
 * warning with the address, so a system that does not answer is named within seconds; an {@link HttpCallObserver}
 * hears the system, method, status and time of every exchange, and every change of the circuit.
 *
 * <p>This class is threadsafe.
 */
public final class CrmHttpClient {

    private static final Logger LOG = LoggerFactory.getLogger(CrmHttpClient.class);
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

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

        /** Sends no credentials, for a server that asks none. */
        Authenticator NONE = new Authenticator() {
            @Override
            public void authorize(HttpRequest.Builder request) {
            }

            @Override
            public boolean renew() {
                return false;
            }
        };

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

    private final String system;
    private final String observedName;
    private final URI baseUrl;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final SlidingWindowRateLimiter pacer;
    private final RetryPolicy retry;
    private final CircuitBreaker circuit;
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
     * @param retry             how hard to try, and when to leave the system alone
     * @param clock             the time source of the pacing
     * @param sleeper           how to wait
     * @param auth              how to authorise
     */
    public CrmHttpClient(String system, URI baseUrl, Duration timeout, int requestsPerMinute,
                         Resilience retry, InstantSource clock, Sleeper sleeper, Authenticator auth) {
        this(system, baseUrl, timeout, requestsPerMinute, retry, clock, sleeper, auth, HttpCallObserver.NONE);
    }

    /**
     * @param system            the system's name for messages, e.g. {@code webCRM}; the observer hears it in lower
     *                          case
     * @param baseUrl           the API's base URL, without trailing slash
     * @param timeout           the limit on one request
     * @param requestsPerMinute the pace to keep, or 0 for none
     * @param retry             how hard to try, and when to leave the system alone
     * @param clock             the time source of the pacing and of the observed durations
     * @param sleeper           how to wait
     * @param auth              how to authorise
     * @param observer          told about every exchange; told once where to read the budget if the client paces
     */
    public CrmHttpClient(String system, URI baseUrl, Duration timeout, int requestsPerMinute,
                         Resilience retry, InstantSource clock, Sleeper sleeper, Authenticator auth,
                         HttpCallObserver observer) {
        this.system = system;
        this.observedName = system.toLowerCase(Locale.ROOT);
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.pacer = requestsPerMinute > 0
                ? new SlidingWindowRateLimiter(requestsPerMinute, Duration.ofMinutes(1), clock) : null;
        this.retry = new RetryPolicy(retry.retry(), sleeper);
        this.sleeper = sleeper;
        this.circuit = new CircuitBreaker(system, retry.circuit(), clock,
                status -> observer.circuitChanged(observedName, status));
        this.auth = auth;
        this.clock = clock;
        this.observer = observer;
        // A host that drops packets is told from a slow one within seconds, not after the whole request timeout.
        this.connectTimeout = timeout.compareTo(MAX_CONNECT_TIMEOUT) > 0 ? MAX_CONNECT_TIMEOUT : timeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
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
        return retry.run(what, () -> attempt(method, pathAndQuery, contentType, body, headers, idempotent, what),
                summary -> spent(what, summary),
                this::retrying);
    }

    /**
     * Sends a GET whose answer must parse: an answer the reader cannot read (a proxy cut it off, a malformed page)
     * is retried like a 5xx, under the same policy, and never skipped.
     *
     * @param pathAndQuery the path below the base URL, with its query, already encoded
     * @param reader       reads a 2xx answer, or refuses it as unreadable; non-2xx answers it turns into the
     *                     caller's exception
     * @return what the reader read
     * @throws TransientCrmException when the attempts are spent, on unreadable answers among others
     */
    public <T> T read(String pathAndQuery, AnswerReader<T> reader) {
        String what = system + " GET " + pathOnly(pathAndQuery);
        return retry.run(what, () -> {
            RetryPolicy.Attempt<Response> sent = attempt("GET", pathAndQuery, null, null, Map.of(), true, what);
            if (!(sent instanceof RetryPolicy.Attempt.Succeeded<Response> answered)) {
                return new RetryPolicy.Attempt.Failed<>(((RetryPolicy.Attempt.Failed<Response>) sent).problem(),
                        ((RetryPolicy.Attempt.Failed<Response>) sent).serverWait());
            }
            try {
                return new RetryPolicy.Attempt.Succeeded<>(reader.read(answered.value()));
            } catch (UnreadableAnswerException e) {
                return new RetryPolicy.Attempt.Failed<>("unreadable answer (" + e.getMessage() + ")",
                        Optional.empty());
            }
        }, summary -> spent(what, summary),
                this::retrying);
    }

    /**
     * Reads an answer for {@link #read}.
     *
     * @param <T> what it reads
     */
    @FunctionalInterface
    public interface AnswerReader<T> {

        /**
         * @param answer the answer, any status but 429 and 5xx
         * @return what it holds
         * @throws UnreadableAnswerException when a 2xx answer's body does not parse: worth asking again
         */
        T read(Response answer) throws UnreadableAnswerException;
    }

    /** A 2xx answer whose body does not parse: a passing fault, worth asking again. */
    public static final class UnreadableAnswerException extends Exception {

        private static final long serialVersionUID = 1L;

        /**
         * @param message what could not be read, without the body (it may hold personal data)
         */
        public UnreadableAnswerException(String message) {
            super(message);
        }
    }

    /**
     * @return where the system's circuit stands
     */
    public CircuitBreaker.Status circuit() {
        return circuit.status();
    }

    /**
     * One exchange, with a renewal of the credentials after a 401. Gives up at once, rather than answering
     * {@link RetryPolicy.Attempt.Failed}, where another attempt would be blind: a non-idempotent request whose fate
     * is unknown, or a circuit that has opened.
     */
    private RetryPolicy.Attempt<Response> attempt(String method, String pathAndQuery, String contentType, String body,
                                                  Map<String, String> headers, boolean idempotent, String what) {
        boolean renewed = false;
        while (true) {
            circuit.beforeCall(address());
            pace();
            Instant sent = clock.instant();
            Response response;
            try {
                requests.incrementAndGet();
                response = exchange(method, pathAndQuery, contentType, body, headers);
            } catch (IOException e) {
                observer.called(observedName, method, 0, Duration.between(sent, clock.instant()));
                boolean timedOut = e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException);
                String problem = problemOf(e);
                circuit.failed(problem);
                if (!idempotent) {
                    String message = what + " (at " + address() + "): " + problem
                            + "; whether it was carried out is unknown, so it is not sent again blindly";
                    throw timedOut ? new RequestTimeoutException(message, e) : new TransientCrmException(message, e);
                }
                return new RetryPolicy.Attempt.Failed<>(problem, Optional.empty());
            }
            int status = response.status();
            observer.called(observedName, method, status, Duration.between(sent, clock.instant()));
            if (status >= 500) {
                String problem = status + " from the server";
                // 502, 503 and 504 say the system (or its gateway) is down; a 500 is one request going wrong, and
                // one poisoned record must not stop every flow.
                if (status >= 502 && status <= 504) {
                    circuit.failed(problem);
                }
                if (!idempotent) {
                    throw new TransientCrmException(what + " (at " + address() + "): " + problem
                            + "; whether it was carried out is unknown, so it is not sent again blindly", null);
                }
                return new RetryPolicy.Attempt.Failed<>(problem, serverWait(response));
            }
            if (status < 500) {
                circuit.answered();
            }
            if (status == 401 && !renewed && auth.renew()) {
                renewed = true;
                continue;
            }
            if (status == 429) {
                throttled.incrementAndGet();
                observer.throttled(observedName);
                return new RetryPolicy.Attempt.Failed<>("429 Too Many Requests", serverWait(response));
            }
            return new RetryPolicy.Attempt.Succeeded<>(response);
        }
    }

    private TransientCrmException spent(String what, String summary) {
        String message = what + " " + summary + " (at " + address() + ")";
        return circuit.nextTrialAt().<TransientCrmException>map(at -> new SystemDownException(
                message + "; " + system + " is left alone until " + at.truncatedTo(ChronoUnit.SECONDS), at))
                .orElseGet(() -> new TransientCrmException(message, null));
    }

    /** What went wrong, in a person's words rather than an exception's class name. */
    private String problemOf(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + connectTimeout.toMillis() / 1000.0 + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() / 1000.0 + " s";
        }
        if (e instanceof ConnectException) {
            return "connection refused: nothing listens there, or a firewall refuses";
        }
        if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
            return "unknown host";
        }
        return "connection closed before an answer";
    }

    private void retrying(String what, int attempt, String problem, Duration pause) {
        // Said at the first failure, with the address, so that a person learns within seconds which system does
        // not answer, not after the last attempt.
        LOG.atWarn().addKeyValue("system", system).addKeyValue("address", address()).addKeyValue("attempt", attempt)
                .addKeyValue("of", retry.settings().maxAttempts()).addKeyValue("problem", problem)
                .addKeyValue("retryInMs", pause.toMillis())
                .log("{} did not succeed; trying again", what);
    }

    private Optional<Duration> serverWait(Response response) {
        return RetryPolicy.serverWait(response.header("Retry-After").orElse(null), response.body(), clock.instant());
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
            sleeper.pause(wait.get(), system + " rate limit");
        }
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
