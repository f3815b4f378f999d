package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.FaultFilter;
import dev.crmsync.app.simulate.SimulatorJson;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The read endpoints beside plain lists: {@code /Organisations/FindByUpdateDates} and {@code FindByCreateDates}
 * (half-open {@code start <= t < end}, in id order, paged), {@code /Queries} (see {@link QueryScript}) and
 * {@code /FieldsMetadata} (see {@link WebcrmFieldsMetadata}).
 *
 * <p>This class is threadsafe: its state is the tenants' threadsafe {@link WebcrmRecords}.
 */
final class WebcrmReadRoutes {

    private final Function<Context, WebcrmRecords> tenantRecords;

    /**
     * @param tenantRecords the data of the tenant an admitted request reaches
     */
    WebcrmReadRoutes(Function<Context, WebcrmRecords> tenantRecords) {
        this.tenantRecords = tenantRecords;
    }

    /**
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        cfg.routes.get("/Organisations/FindByUpdateDates/{startDate}/{endDate}",
                ctx -> findByDates(ctx, "OrganisationUpdatedAt"));
        cfg.routes.get("/Organisations/FindByCreateDates/{startDate}/{endDate}",
                ctx -> findByDates(ctx, "OrganisationCreatedAt"));
        cfg.routes.get("/Queries", this::query);
        cfg.routes.get("/FieldsMetadata", ctx -> ctx.json(WebcrmFieldsMetadata.dtos("All")));
        cfg.routes.get("/FieldsMetadata/{entityTypes}",
                ctx -> ctx.json(WebcrmFieldsMetadata.dtos(ctx.pathParam("entityTypes"))));
    }

    private void findByDates(Context ctx, String stamp) {
        LocalDateTime start = pathDate(ctx, "startDate");
        LocalDateTime end = pathDate(ctx, "endDate");
        PageRequest page = PageRequest.of(ctx);
        List<Map<String, Object>> matching = tenantRecords.apply(ctx).all(WebcrmEntity.ORGANISATION).stream()
                .filter(r -> {
                    LocalDateTime t = (LocalDateTime) r.get(stamp);
                    return !t.isBefore(start) && t.isBefore(end);
                })
                .toList();
        ArrayNode out = SimulatorJson.mapper().createArrayNode();
        page.slice(matching).forEach(r -> out.add(WebcrmDtoWriter.toDto(WebcrmEntity.ORGANISATION, r)));
        FaultFilter.markPage(ctx);
        ctx.json(out);
    }

    private void query(Context ctx) {
        PageRequest page = PageRequest.of(ctx);
        QueryScript script;
        try {
            script = QueryScript.parse(ctx.queryParam("script"));
        } catch (QueryException e) {
            throw WebcrmApiException.invalid(e.getMessage());
        }
        ArrayNode out = SimulatorJson.mapper().createArrayNode();
        // Only the selected records are copied out of the tenant, and only the page's rows are built.
        List<Map<String, Object>> rows = script.run(tenantRecords.apply(ctx).matching(script.entity(), script::selects),
                page.offset(), page.size());
        for (Map<String, Object> row : rows) {
            ObjectNode json = out.addObject();
            row.forEach((column, value) -> json.set(column, WebcrmDtoWriter.toJson(value)));
        }
        FaultFilter.markPage(ctx);
        ctx.json(out);
    }

    /** A path date; a {@code +} of an offset may arrive decoded as a space, so it is put back first. */
    private static LocalDateTime pathDate(Context ctx, String name) {
        String text = ctx.pathParam(name);
        try {
            return WebcrmTimestamps.parse(text.contains("T") ? text.replace(' ', '+') : text);
        } catch (DateTimeException e) {
            throw WebcrmApiException.invalid("The value '" + text + "' is not valid for " + name
                    + "; expected yyyy-MM-ddTHH:mm:ss");
        }
    }
}
