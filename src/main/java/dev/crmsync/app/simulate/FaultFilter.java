package dev.crmsync.app.simulate;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Wires a {@link FaultInjector} into a simulator's HTTP server: a before-handler that delays, fails or drops the
 * request, and an after-handler that loses the answer of a write already carried out, or cuts off list pages. A
 * simulator with several tenants gives each its own injector, and a request meets the faults of the tenant it
 * belongs to. The simulator's own control routes under {@code /_sim} are never faulted, so a test can always switch
 * faults off again.
 *
 * <p>This class is threadsafe.
 */
public final class FaultFilter {

    /** Writes a failed answer in the simulator's own error format. */
    @FunctionalInterface
    public interface FailureWriter {
        /**
         * @param ctx        the request to answer
         * @param status     429 or a 5xx status
         * @param retryAfter how long the client should wait; zero for no {@code Retry-After}
         */
        void write(Context ctx, int status, Duration retryAfter);
    }

    private static final String PAGE_ATTRIBUTE = "crmsync.sim.page";
    private static final String CONTROL_PREFIX = "/_sim";
    private static final String INJECTOR_ATTRIBUTE = "crmsync.sim.faults";

    private FaultFilter() {
    }

    /**
     * Marks the answer being built as a list page, so that a malformed-page fault may cut it off.
     *
     * @param ctx the request being answered
     */
    public static void markPage(Context ctx) {
        ctx.attribute(PAGE_ATTRIBUTE, Boolean.TRUE);
    }

    /**
     * Installs the before- and after-handlers for a simulator whose every request meets the same faults.
     *
     * @param cfg      the server configuration being built
     * @param faults   where the faults come from
     * @param failures how a failed answer looks in this simulator
     * @param isWrite  tells, from method and path, whether a request changes data: only those lose their answer
     *                 (a login is a POST that changes nothing)
     */
    public static void install(JavalinConfig cfg, FaultInjector faults, FailureWriter failures,
                               BiPredicate<String, String> isWrite) {
        Optional<FaultInjector> always = Optional.of(faults);
        install(cfg, ctx -> always, failures, isWrite);
    }

    /**
     * Installs the before- and after-handlers, each request meeting the faults of its own tenant.
     *
     * @param cfg      the server configuration being built
     * @param faults   the faults a request meets, read when it arrives; empty for none (a request of no tenant)
     * @param failures how a failed answer looks in this simulator
     * @param isWrite  tells, from method and path, whether a request changes data: only those lose their answer
     *                 (a login is a POST that changes nothing)
     */
    public static void install(JavalinConfig cfg, Function<Context, Optional<FaultInjector>> faults,
                               FailureWriter failures, BiPredicate<String, String> isWrite) {
        cfg.routes.before(ctx -> {
            if (ctx.path().startsWith(CONTROL_PREFIX)) {
                return;
            }
            Optional<FaultInjector> injector = faults.apply(ctx);
            if (injector.isEmpty()) {
                return;
            }
            // Kept for the after-handler, which must ask the same injector, and only when this handler ran.
            ctx.attribute(INJECTOR_ATTRIBUTE, injector.get());
            Duration latency = injector.get().latency();
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            switch (injector.get().nextFault(ctx.method().name())) {
                case FaultInjector.Fault.None none -> {
                }
                case FaultInjector.Fault.Fail fail -> {
                    failures.write(ctx, fail.status(), fail.retryAfter());
                    ctx.skipRemainingHandlers();
                }
                case FaultInjector.Fault.Drop drop -> {
                    dropConnection(ctx);
                    ctx.skipRemainingHandlers();
                }
            }
        });
        cfg.routes.after(ctx -> {
            FaultInjector injector = ctx.attribute(INJECTOR_ATTRIBUTE);
            if (injector == null) {
                return;
            }
            if (ctx.status().getCode() < 400 && isWrite.test(ctx.method().name(), ctx.path())
                    && injector.loseThisAnswer(ctx.method().name())) {
                // The write is done and committed; only its answer goes missing.
                dropConnection(ctx);
                return;
            }
            if (Boolean.TRUE.equals(ctx.attribute(PAGE_ATTRIBUTE)) && injector.malformThisPage()) {
                String body = ctx.result();
                if (body != null && body.length() > 2) {
                    // Cut inside the first record, so the page is not valid JSON whatever its size.
                    ctx.result(body.substring(0, Math.max(2, Math.min(body.length() - 1, body.length() / 2))));
                }
            }
        });
    }

    private static void dropConnection(Context ctx) {
        // Closing the socket under Jetty gives the client the same thing a dying proxy gives it: no status line.
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        request.getConnectionMetaData().getConnection().getEndPoint().close();
    }
}
