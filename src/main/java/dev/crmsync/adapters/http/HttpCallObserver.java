package dev.crmsync.adapters.http;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Told about every request a {@link CrmHttpClient} sends, for metrics. The adapters name no metrics library: the
 * Micrometer version lives in the app.
 *
 * <p>Systems are named in lower case ({@code webcrm}, {@code customcrm}), as metrics tags spell them. Every method
 * has an empty default, so an implementation overrides only what it counts. Methods are called from whichever
 * thread sends the request, so implementations must be threadsafe, and quick: they run on the request path.
 *
 * @see CrmHttpClient
 */
public interface HttpCallObserver {

    /** Observes nothing. */
    HttpCallObserver NONE = new HttpCallObserver() {
    };

    /**
     * One exchange with the server, retries counted one by one.
     *
     * @param system the system, e.g. {@code webcrm}
     * @param method the HTTP method
     * @param status the answer's status, or 0 when no answer came (connection failed or timed out)
     * @param took   from sending the request to its answer, on the client's clock
     */
    default void called(String system, String method, int status, Duration took) {
    }

    /**
     * The server answered 429 Too Many Requests: crmsync went faster than the system allows. Also reported to
     * {@link #called} with status 429.
     *
     * @param system the system
     */
    default void throttled(String system) {
    }

    /**
     * Called once, when a client that paces itself is made, with where to read its budget from then on. A client
     * without pacing (Customcrm publishes no limit) never calls it.
     *
     * @param system the system
     * @param budget reads the budget left at the moment it is called; threadsafe
     */
    default void paced(String system, Supplier<RateBudget> budget) {
    }

    /**
     * The system's circuit changed: it opened (the system is left alone until its trial time), a trial is due, or
     * it closed again.
     *
     * @param system the system
     * @param status where the circuit stands now
     */
    default void circuitChanged(String system, CircuitBreaker.Status status) {
    }
}
