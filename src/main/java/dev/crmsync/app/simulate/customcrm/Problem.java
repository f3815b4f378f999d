package dev.crmsync.app.simulate.customcrm;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An error answer as RFC 9457 {@code application/problem+json}: {@code type}, {@code title}, {@code status},
 * {@code detail}, plus the extension members and headers a problem type carries. Every error the reference
 * server sends, its own or an injected fault, goes through here, so clients meet one error format.
 *
 * @param type       what went wrong, in a form a client can branch on
 * @param status     the HTTP status; usually the type's own, but an injected fault may be a 502 server error
 * @param detail     what went wrong in this case, for people
 * @param extensions extra members, e.g. {@code errors} or {@code current_version}
 * @param headers    extra headers, e.g. {@code Retry-After}
 */
record Problem(Type type, int status, String detail, Map<String, Object> extensions, Map<String, String> headers) {

    /** The problem types of the contract; each has a status and a title that never changes. */
    enum Type {
        BAD_REQUEST(400, "bad-request", "Bad request"),
        UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
        NOT_FOUND(404, "not-found", "Not found"),
        METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
        EXTERNAL_ID_TAKEN(409, "external-id-taken", "External id taken"),
        STILL_REFERENCED(409, "still-referenced", "Record still referenced"),
        GONE(410, "gone", "Record deleted"),
        VERSION_MISMATCH(412, "version-mismatch", "Version mismatch"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
        VALIDATION_FAILED(422, "validation-failed", "Validation failed"),
        IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "Idempotency key reused"),
        TOO_LARGE(413, "too-large", "Request too large"),
        RATE_LIMITED(429, "rate-limited", "Too many requests"),
        SERVER_ERROR(500, "server-error", "Server error"),
        UNAVAILABLE(503, "unavailable", "Service unavailable");

        private final int status;
        private final String name;
        private final String title;

        Type(int status, String name, String title) {
            this.status = status;
            this.name = name;
            this.title = title;
        }

        /**
         * @return the type's URI; a tag URI, because it names the problem without promising a web page
         */
        String uri() {
            return "tag:crmsync.dev,2025:customcrm/" + name;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Problem.class);
    static final String CONTENT_TYPE = "application/problem+json";

    Problem {
        extensions = Map.copyOf(extensions);
        headers = Map.copyOf(headers);
    }

    /**
     * @return a problem of {@code type} with the type's own status
     */
    static Problem of(Type type, String detail) {
        return new Problem(type, type.status, detail, Map.of(), Map.of());
    }

    /**
     * @param status     429 or a 5xx status, as {@link dev.crmsync.app.simulate.FaultFilter} injects it
     * @param retryAfter the wait to send; zero for none
     * @return the injected fault as a problem
     */
    static Problem ofFault(int status, Duration retryAfter) {
        Type type = status == 429 ? Type.RATE_LIMITED : status == 503 ? Type.UNAVAILABLE : Type.SERVER_ERROR;
        Problem problem = new Problem(type, status, "injected fault: " + status, Map.of(), Map.of());
        return retryAfter.isZero() ? problem : problem.withHeader("Retry-After", Long.toString(retryAfter.toSeconds()));
    }

    /**
     * @return this problem with one more extension member
     */
    Problem with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(type, status, detail, more, headers);
    }

    /**
     * @return this problem with one more header
     */
    Problem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(type, status, detail, extensions, more);
    }

    /**
     * @return an exception that, thrown from a handler, answers with this problem
     */
    ProblemException toException() {
        return new ProblemException(this);
    }

    /**
     * Answers the request with this problem.
     *
     * @param ctx the request
     */
    void writeTo(Context ctx) {
        headers.forEach(ctx::header);
        ctx.status(status).contentType(CONTENT_TYPE).result(CustomcrmJson.MAPPER.writeValueAsString(toJson()));
    }

    /**
     * @return the problem document, as an answer's body carries it and as a batch item's result carries it
     */
    ObjectNode toJson() {
        ObjectNode body = CustomcrmJson.MAPPER.createObjectNode();
        body.put("type", type.uri());
        body.put("title", type.title);
        body.put("status", status);
        body.put("detail", detail);
        extensions.forEach((name, value) -> body.set(name, CustomcrmJson.MAPPER.valueToTree(value)));
        return body;
    }

    /**
     * Makes every failure of a request answer as a problem: ours, Javalin's own (unknown route, wrong method) and
     * unexpected exceptions.
     *
     * @param cfg the server configuration being built
     */
    static void installHandlers(JavalinConfig cfg) {
        cfg.routes.exception(ProblemException.class, (e, ctx) -> e.problem().writeTo(ctx));
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> ofStatus(e.getStatus(), e.getMessage())
                .writeTo(ctx));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            LOG.atWarn().setCause(e).addKeyValue("method", ctx.method()).addKeyValue("path", ctx.path())
                    .log("request failed");
            of(Type.SERVER_ERROR, "the server failed to answer this request").writeTo(ctx);
        });
    }

    private static Problem ofStatus(int status, String detail) {
        for (Type type : Type.values()) {
            if (type.status == status) {
                return of(type, detail);
            }
        }
        Type type = status >= 500 ? Type.SERVER_ERROR : Type.BAD_REQUEST;
        return new Problem(type, status, detail, Map.of(), Map.of());
    }
}
