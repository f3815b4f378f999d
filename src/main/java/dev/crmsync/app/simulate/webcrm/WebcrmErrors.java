package dev.crmsync.app.simulate.webcrm;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the simulator's error answers. webCRM's Swagger document declares no error body, so the simulator uses
 * the one shape webCRM is known to send, that of its 429 (API-NOTES §10), for every error with a body:
 * {@code {"Message": "...", "Type": "ValidationException"}}, and adds {@code RetryAfterSeconds} where a
 * {@code Retry-After} header goes with it.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class WebcrmErrors {

    private WebcrmErrors() {
    }

    /**
     * @param ctx     the request to answer
     * @param failure the refusal
     */
    static void write(Context ctx, WebcrmApiException failure) {
        ctx.status(failure.status()).json(body(failure.getMessage(), failure.type()));
    }

    /**
     * Answers 401 the way ASP.NET's bearer authentication does: no body, a {@code WWW-Authenticate} challenge.
     *
     * @param ctx the request to answer
     */
    static void unauthorized(Context ctx) {
        ctx.status(401).header("WWW-Authenticate", "Bearer").result("");
    }

    /**
     * @param ctx        the request to answer
     * @param retryAfter how long until the window has room again
     * @param limit      the configured requests per window, named in the message
     * @param window     the window length, named in the message
     */
    static void throttled(Context ctx, Duration retryAfter, int limit, Duration window) {
        String per = window.equals(Duration.ofMinutes(1)) ? "minute" : window.toSeconds() + " seconds";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RetryAfterSeconds", retryAfter.toSeconds());
        body.putAll(body("The request was throttled. The limit of " + limit + " requests per " + per
                + " is reached", "TooManyRequestsException"));
        ctx.status(429).header("Retry-After", Long.toString(retryAfter.toSeconds())).json(body);
    }

    /**
     * Writes an injected fault: a 429 exactly like the real limiter's, or a 5xx in the same shape.
     *
     * @param ctx        the request to answer
     * @param status     429 or a 5xx
     * @param retryAfter the {@code Retry-After} to send; zero for none
     * @param limit      the configured requests per window, for a 429's message
     * @param window     the window length, for a 429's message
     */
    static void fault(Context ctx, int status, Duration retryAfter, int limit, Duration window) {
        if (status == 429) {
            throttled(ctx, retryAfter.isZero() ? Duration.ofSeconds(1) : retryAfter, limit, window);
            return;
        }
        String type = switch (status) {
            case 502 -> "BadGatewayException";
            case 503 -> "ServiceUnavailableException";
            case 504 -> "GatewayTimeoutException";
            default -> "InternalServerErrorException";
        };
        Map<String, Object> body = new LinkedHashMap<>();
        if (!retryAfter.isZero()) {
            body.put("RetryAfterSeconds", retryAfter.toSeconds());
            ctx.header("Retry-After", Long.toString(retryAfter.toSeconds()));
        }
        body.putAll(body("An error occurred while processing the request (simulated " + status + ")", type));
        ctx.status(status).json(body);
    }

    private static Map<String, Object> body(String message, String type) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Message", message);
        body.put("Type", type);
        return body;
    }
}
