package dev.crmsync.app.simulate.customcrm;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * The webhook endpoints of the contract: {@code POST /webhooks} (201 with {@code Location} and
 * {@code {id, url, types, created_at}}), {@code GET /webhooks} ({@code {"items": [...]}}, oldest first) and
 * {@code DELETE /webhooks/{id}} (204; 404 when unknown). They need the API key like every API route.
 *
 * <p>This class is threadsafe: its state is the tenants' threadsafe {@link WebhookSubscriptions}.
 */
final class WebhookRoutes {

    static final String PATH = "/webhooks";
    private static final String JSON = "application/json";

    private final Function<Context, WebhookSubscriptions> tenantSubscriptions;

    /**
     * @param tenantSubscriptions the subscriptions of the tenant an admitted request reaches
     */
    WebhookRoutes(Function<Context, WebhookSubscriptions> tenantSubscriptions) {
        this.tenantSubscriptions = tenantSubscriptions;
    }

    /**
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        cfg.routes.post(PATH, ctx -> {
            ObjectNode created = tenantSubscriptions.apply(ctx).create(CustomcrmApi.body(ctx, List.of(JSON)));
            ctx.header("Location", PATH + "/" + created.path("id").asString());
            answer(ctx, 201, created);
        });
        cfg.routes.get(PATH, ctx -> {
            ObjectNode list = CustomcrmJson.MAPPER.createObjectNode();
            list.putArray("items").addAll(tenantSubscriptions.apply(ctx).list());
            answer(ctx, 200, list);
        });
        cfg.routes.delete(PATH + "/{id}", ctx -> {
            tenantSubscriptions.apply(ctx).delete(ctx.pathParam("id"));
            ctx.status(204);
        });
    }

    private static void answer(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType(JSON).result(CustomcrmJson.MAPPER.writeValueAsString(body));
    }
}
