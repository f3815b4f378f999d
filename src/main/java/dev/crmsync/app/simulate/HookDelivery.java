package dev.crmsync.app.simulate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How both simulators send their change hooks: a JSON POST, asynchronous so that the write that caused it never
 * waits, tried once (neither system promises a retry), and counted, so that a test knows how many deliveries to
 * wait for without sleeping. A failed delivery is logged by the hook's id, never its URL: the URL is the
 * receiver's and may hold its key.
 *
 * <p>This class is threadsafe.
 */
public final class HookDelivery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HookDelivery.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    /** Whether {@link #close} shuts the client down; a delivery that shares another's client leaves it running. */
    private final boolean ownsClient;
    private final AtomicLong dispatched = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** A delivery with a client of its own. */
    public HookDelivery() {
        this(HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build(), true);
    }

    private HookDelivery(HttpClient http, boolean ownsClient) {
        this.http = http;
        this.ownsClient = ownsClient;
    }

    /**
     * A client holds a thread and its connections for its whole life, too much to give each of a simulator's many
     * tenants one; they send through one client and keep only their counts apart.
     *
     * @return a delivery with counts of its own that sends through this one's client; closing it closes nothing,
     *         closing this one stops both
     */
    public HookDelivery sharingClient() {
        return new HookDelivery(http, false);
    }

    /**
     * Sends one delivery off; returns at once.
     *
     * @param target  where to POST
     * @param body    the JSON body
     * @param headers more headers, e.g. a signature
     * @param hookId  names the hook in the log
     */
    public void send(String target, byte[] body, Map<String, String> headers, String hookId) {
        dispatched.incrementAndGet();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((answer, error) -> {
                if (error == null && answer.statusCode() / 100 == 2) {
                    delivered.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    log.atWarn().addKeyValue("hookId", hookId)
                            .addKeyValue("problem", error == null ? "HTTP " + answer.statusCode()
                                    : error.getClass().getSimpleName())
                            .log("hook delivery failed; dropped");
                }
            });
        } catch (RuntimeException e) {
            // The client refused the request outright, e.g. because it was shut down with the server: dropped too.
            failed.incrementAndGet();
        }
    }

    /**
     * @return deliveries sent off so far; counted before {@link #send} returns
     */
    public long dispatched() {
        return dispatched.get();
    }

    /**
     * @return deliveries answered with 2xx so far
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * @return deliveries that failed so far: no answer, or a status other than 2xx
     */
    public long failed() {
        return failed.get();
    }

    /** Stops delivering, when the client is this delivery's own; deliveries under way are abandoned. */
    @Override
    public void close() {
        if (ownsClient) {
            http.shutdownNow();
        }
    }
}
