package dev.crmsync.app.api;

import io.javalin.http.Context;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request the API cannot do, answered as {@code application/problem+json} with the status and a sentence for
 * people.
 */
final class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;

    ApiProblem(int status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
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

    void writeTo(Context ctx) {
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
