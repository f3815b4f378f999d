package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.FaultFilter;
import dev.crmsync.app.simulate.SimulatorJson;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The record endpoints of webCRM REST API v1 for Organisations, Persons and Products: list, get by id, POST,
 * PUT by id, PATCH bulk upsert, and DELETE for Products only. webCRM has no DELETE for organisations and persons
 * (API-NOTES §8), so the simulator has none either: such a request meets no route.
 *
 * <p>Conventions where webCRM documents nothing (all in {@code docs/simulators/webcrm.md}):
 * <ul>
 *   <li>POST answers the new id as a bare JSON integer, Organisations included, unless the simulator is told to
 *       answer {@code POST /Organisations} with an empty body, to test a client's fallback;</li>
 *   <li>PUT replaces the whole record: a property left out becomes null;</li>
 *   <li>PATCH answers one string per item, in order: the id in decimal on success, otherwise the error message,
 *       which never parses as an integer. {@link PatchQuirks} changes that, and adds a size limit, whole-batch
 *       refusal of a bad item and slow answers, to try a client against other readings of the documentation.</li>
 * </ul>
 *
 * <p>This class is threadsafe: its state is the tenants' threadsafe {@link WebcrmRecords}.
 */
final class WebcrmEntityRoutes {

    /** Who the created and updated stamps name for writes through the API. */
    private static final String API_AUTHOR = "API";

    private final Function<Context, WebcrmRecords> tenantRecords;
    private final boolean emptyOrganisationPostBody;
    private final Supplier<PatchQuirks> patchQuirks;

    /**
     * @param tenantRecords             the data of the tenant an admitted request reaches
     * @param emptyOrganisationPostBody true to answer {@code POST /Organisations} with an empty body
     * @param patchQuirks               how bulk PATCH behaves where webCRM documents nothing, read per request
     */
    WebcrmEntityRoutes(Function<Context, WebcrmRecords> tenantRecords, boolean emptyOrganisationPostBody,
                       Supplier<PatchQuirks> patchQuirks) {
        this.tenantRecords = tenantRecords;
        this.emptyOrganisationPostBody = emptyOrganisationPostBody;
        this.patchQuirks = patchQuirks;
    }

    /**
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        for (WebcrmEntity entity : WebcrmEntity.values()) {
            String collection = "/" + entity.plural();
            cfg.routes.get(collection, ctx -> list(ctx, entity));
            cfg.routes.get(collection + "/{id}", ctx -> get(ctx, entity));
            cfg.routes.post(collection, ctx -> create(ctx, entity));
            cfg.routes.put(collection + "/{id}", ctx -> {
                tenantRecords.apply(ctx).replace(entity, id(ctx), WebcrmRequestBody.of(ctx), API_AUTHOR);
                ctx.status(200).result("");
            });
            cfg.routes.patch(collection, ctx -> upsert(ctx, entity));
        }
        cfg.routes.delete("/Products/{id}", ctx -> {
            tenantRecords.apply(ctx).delete(WebcrmEntity.PRODUCT, id(ctx), API_AUTHOR);
            ctx.status(200).result("");
        });
    }

    private void list(Context ctx, WebcrmEntity entity) {
        WebcrmRecords records = tenantRecords.apply(ctx);
        PageRequest page = PageRequest.of(ctx);
        ArrayNode out = SimulatorJson.mapper().createArrayNode();
        page.slice(records.all(entity)).forEach(r -> out.add(WebcrmDtoWriter.toDto(entity, r)));
        FaultFilter.markPage(ctx);
        ctx.json(out);
    }

    private void get(Context ctx, WebcrmEntity entity) {
        WebcrmRecords records = tenantRecords.apply(ctx);
        int id = id(ctx);
        ctx.json(WebcrmDtoWriter.toDto(entity,
                records.find(entity, id).orElseThrow(() -> WebcrmApiException.notFound(entity, id))));
    }

    private void create(Context ctx, WebcrmEntity entity) {
        WebcrmRecords records = tenantRecords.apply(ctx);
        JsonNode dto = WebcrmRequestBody.of(ctx);
        if (idIn(dto, entity) != 0) {
            throw WebcrmApiException.invalid(entity.idField() + " must be 0 to create; use PUT /"
                    + entity.plural() + "/{id} to update");
        }
        int id = records.create(entity, dto, API_AUTHOR);
        if (entity == WebcrmEntity.ORGANISATION && emptyOrganisationPostBody) {
            ctx.status(200).result("");
        } else {
            ctx.json(id);
        }
    }

    private void upsert(Context ctx, WebcrmEntity entity) throws InterruptedException {
        WebcrmRecords records = tenantRecords.apply(ctx);
        JsonNode items = WebcrmRequestBody.of(ctx);
        if (!items.isArray()) {
            throw WebcrmApiException.invalid("PATCH /" + entity.plural() + " needs a JSON array of "
                    + entity.singular() + " objects");
        }
        PatchQuirks quirks = patchQuirks.get();
        if (quirks.tooMany(items.size())) {
            throw WebcrmApiException.tooLarge("PATCH /" + entity.plural() + " takes at most " + quirks.maxItems()
                    + " items; " + items.size() + " were sent");
        }
        if (quirks.badItemFailsBatch()) {
            for (JsonNode item : items) {
                try {
                    records.check(entity, idIn(item, entity), item);
                } catch (WebcrmApiException e) {
                    // Refused whole, naming no item: the client must find the bad one itself. Alone, an item is
                    // the whole request, and its own message is the answer.
                    throw items.size() == 1 ? e : WebcrmApiException.invalid("The request is invalid.");
                }
            }
        }
        List<String> results = new ArrayList<>();
        for (JsonNode item : items) {
            boolean insert = false;
            try {
                int id = idIn(item, entity);
                insert = id == 0;
                if (insert) {
                    id = records.create(entity, item, API_AUTHOR);
                } else {
                    records.replace(entity, id, item, API_AUTHOR);
                }
                if (insert || quirks.answers() == PatchQuirks.Answers.PER_ITEM) {
                    results.add(Integer.toString(id));
                }
            } catch (WebcrmApiException e) {
                results.add(e.getMessage());
            }
        }
        Duration delay = quirks.delayFor(items.size());
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis());
        }
        ctx.json(quirks.answers() == PatchQuirks.Answers.NONE ? List.of() : results);
    }

    /** The id a DTO carries: 0 when it has none, which means "create". */
    private static int idIn(JsonNode dto, WebcrmEntity entity) {
        JsonNode id = dto.isObject() ? dto.get(entity.idField()) : null;
        if (id == null || id.isNull()) {
            return 0;
        }
        try {
            return Integer.parseInt(id.asString().strip());
        } catch (NumberFormatException e) {
            throw WebcrmApiException.invalid(entity.idField() + " must be a whole number, got " + id);
        }
    }

    private static int id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw WebcrmApiException.invalid("The value '" + text + "' is not a valid id");
        }
    }
}
