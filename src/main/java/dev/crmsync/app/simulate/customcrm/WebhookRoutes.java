package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.customcrm.Problem.Type;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The webhook endpoints of the contract: {@code POST /webhooks} (201 with {@code Location} and
 * {@code {id, url, types, created_at}}), {@code GET /webhooks} ({@code {"items": [...]}}, oldest first) and
 * {@code DELETE /webhooks/{id}} (204; 404 when unknown). They need the API key like every API route.
 *
 * <p>This class is threadsafe: its state is the threadsafe {@link WebhookSubscriptions}.
 */
final class WebhookRoutes {

    static final String PATH = "/webhooks";
    private static final String JSON = "application/json";

    private final WebhookSubscriptions subscriptions;

    WebhookRoutes(WebhookSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /**
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        cfg.routes.post(PATH, ctx -> {
            ObjectNode created = subscriptions.create(body(ctx));
            ctx.header("Location", PATH + "/" + created.path("id").asString());
            answer(ctx, 201, created);
        });
        cfg.routes.get(PATH, ctx -> {
            ObjectNode list = CustomcrmJson.MAPPER.createObjectNode();
            list.putArray("items").addAll(subscriptions.list());
            answer(ctx, 200, list);
        });
        cfg.routes.delete(PATH + "/{id}", ctx -> {
            subscriptions.delete(ctx.pathParam("id"));
            ctx.status(204);
        });
    }

    private static void answer(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType(JSON).result(CustomcrmJson.MAPPER.writeValueAsString(body));
    }

    /** The body, read as the record routes read theirs: JSON or no content type, one object. */
    private static JsonNode body(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType != null && !contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals(JSON)) {
            throw Problem.of(Type.UNSUPPORTED_MEDIA_TYPE, "send the body as " + JSON).toException();
        }
        JsonNode body;
        try {
            body = CustomcrmJson.MAPPER.readTree(ctx.body());
        } catch (JacksonException e) {
            throw Problem.of(Type.BAD_REQUEST, "the body is not valid JSON").toException();
        }
        if (body == null || !body.isObject()) {
            throw Problem.of(Type.BAD_REQUEST, "the body must be a JSON object").toException();
        }
        return body;
    }
}
