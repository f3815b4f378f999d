package dev.crmsync.app.api;

import io.javalin.http.Context;
import java.time.Duration;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request the API cannot do, answered as {@code application/problem+json} with the status and a sentence for
 * people, and {@code Retry-After} when waiting helps.
 */
final class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    /** Whole seconds for {@code Retry-After}; 0 for none. */
    private final long retryAfterSeconds;

    ApiProblem(int status, String title, String detail) {
        this(status, title, detail, 0);
    }

    private ApiProblem(int status, String title, String detail, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad request", detail);
    }

    static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not found", detail);
    }

    static ApiProblem unauthorized() {
        return new ApiProblem(401, "Unauthorized",
                "send the service token as 'Authorization: Bearer <token>', or sign in on the dashboard");
    }

    /**
     * @param wait how long the client must wait, rounded up to whole seconds (at least 1) for {@code Retry-After}
     */
    static ApiProblem tooManyAttempts(Duration wait) {
        long seconds = Math.max(1, wait.plusNanos(999_999_999).toSeconds());
        return new ApiProblem(429, "Too many wrong tokens", "too many wrong tokens from this address; the next "
                + "one is looked at in " + seconds + " s", seconds);
    }

    void writeTo(Context ctx) {
        if (retryAfterSeconds > 0) {
            ctx.header("Retry-After", Long.toString(retryAfterSeconds));
        }
        write(ctx, status, title, getMessage());
    }

    static void write(Context ctx, int status, String title, String detail) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        ctx.status(status).contentType("application/problem+json").result(body.toString());
    }
}
