package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.FaultFilter;
import dev.crmsync.app.simulate.customcrm.Problem.Type;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP side of the contract: routes, headers, bodies and status codes. What a request does to the records is
 * {@link CustomcrmRecords}'s business and what a feed page holds is {@link ChangeFeed}'s; this class only
 * translates between them and HTTP. A write route reads its request into a {@link RecordWrite}, the same that a
 * batch item becomes in {@link BatchRoutes}, so that both are held to one set of rules.
 *
 * <p>This class is threadsafe.
 */
final class CustomcrmApi {

    static final String CONTRACT_PATH = "/openapi.yaml";
    static final String JSON = "application/json";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final Function<Context, CustomcrmRecords> tenantRecords;
    private final Function<Context, ChangeFeed> tenantFeed;
    private final byte[] contract;

    /**
     * @param tenantRecords the records the routes read and write: those of the tenant an admitted request reaches
     * @param tenantFeed    the change feed the list routes page through, that tenant's
     * @param contract      the contract document to serve, as {@link ServedContract} made it
     */
    CustomcrmApi(Function<Context, CustomcrmRecords> tenantRecords, Function<Context, ChangeFeed> tenantFeed,
                 byte[] contract) {
        this.tenantRecords = tenantRecords;
        this.tenantFeed = tenantFeed;
        this.contract = contract.clone();
    }

    /**
     * Installs the routes of all record types and of the contract document.
     *
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        for (RecordType type : RecordType.values()) {
            String collection = collectionPath(type);
            String one = collection + "/{id}";
            cfg.routes.get(collection, ctx -> listChanges(ctx, type));
            cfg.routes.post(collection, ctx -> write(ctx, new RecordWrite.Create(type,
                    RecordWrite.idempotencyKey(ctx.header("Idempotency-Key")), body(ctx, List.of(JSON)))));
            cfg.routes.get(collection + "/by-external-id/{key}/{value}", ctx -> answer(ctx, 200,
                    tenantRecords.apply(ctx).getByExternalId(type, ctx.pathParam("key"), ctx.pathParam("value"))));
            cfg.routes.get(one, ctx -> answer(ctx, 200, tenantRecords.apply(ctx).get(type, ctx.pathParam("id"))));
            cfg.routes.put(one, ctx -> write(ctx, new RecordWrite.Replace(type, ctx.pathParam("id"),
                    RecordWrite.ifMatch(ctx.header("If-Match")), body(ctx, List.of(JSON)))));
            cfg.routes.patch(one, ctx -> write(ctx, new RecordWrite.Patch(type, ctx.pathParam("id"),
                    RecordWrite.ifMatch(ctx.header("If-Match")), body(ctx, List.of(MERGE_PATCH, JSON)))));
            cfg.routes.delete(one, ctx -> write(ctx, new RecordWrite.Delete(type, ctx.pathParam("id"),
                    RecordWrite.ifMatch(ctx.header("If-Match")))));
        }
        cfg.routes.get(CONTRACT_PATH, ctx -> ctx.contentType("application/yaml").result(contract));
    }

    private void listChanges(Context ctx, RecordType type) {
        ChangeFeed.Page page = tenantFeed.apply(ctx).read(type, ctx.queryParam("since"), limit(ctx));
        ObjectNode body = CustomcrmJson.MAPPER.createObjectNode();
        body.putArray("items").addAll(page.items());
        body.put("next", page.next());
        body.put("has_more", page.hasMore());
        FaultFilter.markPage(ctx);
        ctx.contentType(JSON).result(CustomcrmJson.MAPPER.writeValueAsString(body));
    }

    private void write(Context ctx, RecordWrite write) {
        RecordWrite.Result result = write.applyTo(tenantRecords.apply(ctx));
        if (result.record() == null) {
            ctx.status(result.status());
            return;
        }
        if (write instanceof RecordWrite.Create create) {
            ctx.header("Location", collectionPath(create.type()) + "/" + result.record().path("id").asString());
        }
        answer(ctx, result.status(), result.record());
    }

    private static void answer(Context ctx, int status, ObjectNode record) {
        ctx.status(status)
                .header("ETag", "\"" + record.path("version").asLong() + "\"")
                .contentType(JSON)
                .result(CustomcrmJson.MAPPER.writeValueAsString(record));
    }

    /**
     * The body of a write: one JSON object, in one of {@code mediaTypes} or with no content type at all.
     *
     * @throws ProblemException 415 for another media type, 400 for anything but a JSON object
     */
    static JsonNode body(Context ctx, List<String> mediaTypes) {
        String contentType = ctx.header("Content-Type");
        // A missing Content-Type is read as JSON: being strict there would only fail clients that forgot it.
        if (contentType != null && !mediaTypes.contains(mediaType(contentType))) {
            throw Problem.of(Type.UNSUPPORTED_MEDIA_TYPE, "send the body as " + String.join(" or ", mediaTypes))
                    .toException();
        }
        try {
            return RecordWrite.object(CustomcrmJson.MAPPER.readTree(ctx.body()));
        } catch (JacksonException e) {
            throw Problem.of(Type.BAD_REQUEST, "the body is not valid JSON").toException();
        }
    }

    private static String mediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return ChangeFeed.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= ChangeFeed.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below, like a number out of range.
        }
        throw Problem.of(Type.BAD_REQUEST, "limit must be a whole number from 1 to " + ChangeFeed.MAX_LIMIT)
                .toException();
    }

    private static String collectionPath(RecordType type) {
        return "/" + type.path();
    }
}
