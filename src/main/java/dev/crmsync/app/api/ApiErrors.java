package dev.crmsync.app.api;

import dev.crmsync.app.service.ServiceBusyException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a failed request is answered: each kind of exception as a problem with its status. No handler here ever
 * throws. Javalin answers a handler that throws by mapping that exception in turn, and when the response itself is
 * gone (an event stream that ends after Jetty recycled its response, at a stop) every answer throws again: Javalin
 * then loops on the request forever, logging millions of errors. A response that is gone is simply not answered.
 */
final class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    static void install(JavalinConfig cfg) {
        handlers().forEach((type, handler) -> add(cfg, type, handler));
    }

    /** Each exception type, most specific first, with its (safe) handler. */
    static Map<Class<? extends Exception>, ExceptionHandler<Exception>> handlers() {
        Map<Class<? extends Exception>, ExceptionHandler<Exception>> out = new LinkedHashMap<>();
        out.put(ApiProblem.class, safely((e, ctx) -> ((ApiProblem) e).writeTo(ctx)));
        out.put(ServiceBusyException.class, safely((e, ctx) -> ApiProblem.write(ctx, 503, "Busy", e.getMessage())));
        out.put(IllegalArgumentException.class, safely((e, ctx) ->
                ApiProblem.write(ctx, 400, "Bad request", e.getMessage())));
        out.put(IllegalStateException.class, safely((e, ctx) ->
                ApiProblem.write(ctx, 409, "Conflict", e.getMessage())));
        out.put(Exception.class, safely(ApiErrors::internalError));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> void add(JavalinConfig cfg, Class<E> type, ExceptionHandler<Exception> h) {
        cfg.routes.exception(type, (ExceptionHandler<? super E>) (ExceptionHandler<?>) h);
    }

    private static void internalError(Exception e, Context ctx) {
        // A hook's path holds its key: say only which kind of route failed.
        String path = ctx.path().contains("/hooks/") ? "…/hooks/…" : ctx.path();
        log.atError().setCause(e).addKeyValue("path", path).log("API request failed");
        ApiProblem.write(ctx, 500, "Internal error", "the request failed; the service log has the cause");
    }

    /**
     * @return {@code handler}, except that when it fails (the response is gone) the failure ends there
     */
    private static ExceptionHandler<Exception> safely(ExceptionHandler<Exception> handler) {
        return (e, ctx) -> {
            try {
                handler.handle(e, ctx);
            } catch (RuntimeException responseGone) {
                log.atDebug().setCause(responseGone).addKeyValue("exception", e.getClass().getSimpleName())
                        .log("A failed request could not be answered: its response is gone");
            }
        };
    }
}
