package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.SimulatorJson;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The hook endpoints of webCRM REST API v1 (API-NOTES §9), for Organisations, Persons and Products alike:
 * {@code GET /{Entity}/Hooks} (the caller's own hooks, paged with {@code Page}/{@code Size}, a bare array),
 * {@code POST /{Entity}/Hooks} (a hook DTO with {@code Id} 0; answers the new int64 id as a bare JSON integer),
 * {@code GET}/{@code PUT}/{@code DELETE /{Entity}/Hooks/{id}} (PUT and DELETE answer 200 with an empty body, as the
 * Swagger document declares no body for them).
 *
 * <p>These routes must be installed before {@link WebcrmEntityRoutes}: {@code GET /Organisations/Hooks} would
 * otherwise be taken for {@code GET /Organisations/{id}} with id {@code Hooks}.
 *
 * <p>This class is threadsafe: its state is the tenants' threadsafe {@link WebcrmHooks}.
 */
final class WebcrmHookRoutes {

    private final Function<Context, WebcrmHooks> tenantHooks;

    /**
     * @param tenantHooks the hooks of the tenant an admitted request reaches
     */
    WebcrmHookRoutes(Function<Context, WebcrmHooks> tenantHooks) {
        this.tenantHooks = tenantHooks;
    }

    /**
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        for (WebcrmEntity entity : WebcrmEntity.values()) {
            String collection = "/" + entity.plural() + "/Hooks";
            cfg.routes.get(collection, ctx -> list(ctx, entity));
            cfg.routes.post(collection, ctx -> ctx.json(tenantHooks.apply(ctx).create(owner(ctx), entity, WebcrmRequestBody.of(ctx))));
            cfg.routes.get(collection + "/{id}", ctx -> ctx.json(tenantHooks.apply(ctx).get(owner(ctx), entity, id(ctx))));
            cfg.routes.put(collection + "/{id}", ctx -> {
                tenantHooks.apply(ctx).replace(owner(ctx), entity, id(ctx), WebcrmRequestBody.of(ctx));
                ctx.status(200).result("");
            });
            cfg.routes.delete(collection + "/{id}", ctx -> {
                tenantHooks.apply(ctx).delete(owner(ctx), entity, id(ctx));
                ctx.status(200).result("");
            });
        }
    }

    private void list(Context ctx, WebcrmEntity entity) {
        PageRequest page = PageRequest.of(ctx);
        ArrayNode out = SimulatorJson.mapper().createArrayNode();
        page.slice(tenantHooks.apply(ctx).list(owner(ctx), entity)).forEach(out::add);
        ctx.json(out);
    }

    private static String owner(Context ctx) {
        return WebcrmAccessControl.applicationToken(ctx);
    }

    private static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw WebcrmApiException.invalid("The value '" + text + "' is not a valid id");
        }
    }
}
