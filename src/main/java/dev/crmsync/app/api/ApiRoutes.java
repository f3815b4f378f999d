package dev.crmsync.app.api;

import dev.crmsync.app.docs.Document;
import dev.crmsync.app.docs.DocumentFormat;
import dev.crmsync.app.service.FlowStatus;
import dev.crmsync.app.service.SyncService;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.CycleLog;
import dev.crmsync.ports.FieldConflict;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.RecordStatus;
import dev.crmsync.ports.Store;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The handlers of the management API: each reads its parameters, asks the service or the store, and answers
 * with the JSON of {@link ApiJson}. What changes the store goes through the service, which runs it on its
 * worker between cycles.
 *
 * <p>This class is threadsafe.
 */
final class ApiRoutes {

    private final SyncService service;
    private final Store store;
    private final InstantSource clock;
    private final Supplier<Document> dataflow;
    private final RecordTitles titles;
    private final UnsyncedRecords unsynced;
    private final HeldDeletes heldDeletes;

    ApiRoutes(SyncService service, Store store, InstantSource clock, Supplier<Document> dataflow,
              Map<Flow, FlowMapping> mappings) {
        this.service = service;
        this.store = store;
        this.clock = clock;
        this.dataflow = dataflow;
        this.titles = new RecordTitles(store);
        this.unsynced = new UnsyncedRecords(store, mappings, clock);
        this.heldDeletes = new HeldDeletes(store);
    }

    /** A handler of the routes, given the routes of the connection that answers. */
    @FunctionalInterface
    interface RouteHandler {
        void handle(ApiRoutes routes, Context ctx) throws Exception;
    }

    /**
     * Adds a connection's routes, each under {@code <prefix>/api/}. Each request is answered by the routes
     * {@code current} gives at that moment: always the same ones for a connection that this process syncs for its
     * whole life; for a node of a cluster, the routes of the connection while the node holds it.
     *
     * @param cfg     the server being configured
     * @param prefix  where the connection's routes start: empty for the server of one connection, else
     *                {@code /connections/<name>}
     * @param current the routes that answer; it throws an {@link ApiProblem} when none can
     */
    static void install(JavalinConfig cfg, String prefix, Supplier<ApiRoutes> current) {
        Function<RouteHandler, Handler> on = handler -> ctx -> handler.handle(current.get(), ctx);
        cfg.routes.get(prefix + "/api/status", on.apply((r, ctx) -> json(ctx, 200, r.status())));
        cfg.routes.get(prefix + "/api/stats", on.apply(ApiRoutes::stats));
        cfg.routes.get(prefix + "/api/timeline", on.apply(ApiRoutes::timeline));
        cfg.routes.get(prefix + "/api/links", on.apply(ApiRoutes::links));
        cfg.routes.get(prefix + "/api/links/{id}", on.apply(ApiRoutes::link));
        cfg.routes.get(prefix + "/api/conflicts", on.apply(ApiRoutes::conflicts));
        cfg.routes.post(prefix + "/api/conflicts/{id}/resolve", on.apply(ApiRoutes::resolve));
        cfg.routes.get(prefix + "/api/dead-letters", on.apply((r, ctx) -> json(ctx, 200, r.unsynced.deadLettersJson())));
        cfg.routes.get(prefix + "/api/waiting", on.apply((r, ctx) -> json(ctx, 200, r.unsynced.waitingJson())));
        cfg.routes.get(prefix + "/api/held-deletes", on.apply((r, ctx) ->
                json(ctx, 200, r.heldDeletes.json(flowParam(ctx)))));
        cfg.routes.post(prefix + "/api/dead-letters/replay", on.apply((r, ctx) -> json(ctx, 200,
                ApiJson.MAPPER.createObjectNode().put("replayed", r.service.replay(null, null, null)))));
        cfg.routes.post(prefix + "/api/dead-letters/{flow}/{side}/{recordId}/replay", on.apply((r, ctx) -> {
            int replayed = r.deadLetterCall(ctx, true);
            json(ctx, 200, ApiJson.MAPPER.createObjectNode().put("replayed", replayed));
        }));
        cfg.routes.delete(prefix + "/api/dead-letters/{flow}/{side}/{recordId}", on.apply((r, ctx) -> {
            r.deadLetterCall(ctx, false);
            ctx.status(204);
        }));
        cfg.routes.post(prefix + "/api/flows/{flow}/pause", on.apply((r, ctx) ->
                json(ctx, 200, r.flowJson(r.service.pause(ManagementApi.flow(ctx, "flow"))))));
        cfg.routes.post(prefix + "/api/flows/{flow}/resume", on.apply((r, ctx) ->
                json(ctx, 200, r.flowJson(r.service.resume(ManagementApi.flow(ctx, "flow"))))));
        cfg.routes.post(prefix + "/api/flows/{flow}/sync-now", on.apply((r, ctx) ->
                json(ctx, 202, r.flowJson(r.service.syncNow(ManagementApi.flow(ctx, "flow"))))));
        cfg.routes.post(prefix + "/api/flows/{flow}/resync", on.apply((r, ctx) ->
                json(ctx, 202, r.flowJson(r.service.resync(ManagementApi.flow(ctx, "flow"))))));
        cfg.routes.post(prefix + "/api/flows/{flow}/resync/{side}/{recordId}", on.apply(ApiRoutes::resyncRecord));
        cfg.routes.post(prefix + "/api/store/backup", on.apply(ApiRoutes::backup));
        cfg.routes.post(prefix + "/api/sync-now", on.apply((r, ctx) -> {
            r.service.syncNowAll();
            json(ctx, 202, r.status());
        }));
        cfg.routes.get(prefix + "/api/plan", on.apply((r, ctx) -> json(ctx, 200, ApiJson.plan(r.service.dryRun()))));
        cfg.routes.get(prefix + "/api/dataflow", on.apply(ApiRoutes::dataflow));
    }

    /**
     * @return the sync service these routes act on
     */
    SyncService service() {
        return service;
    }

    private void conflicts(Context ctx) {
        boolean open = !"false".equalsIgnoreCase(ctx.queryParam("open"));
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        store.conflicts(open).forEach(c -> out.add(ApiJson.conflict(c, titles.nameOf(c.linkId()))));
        json(ctx, 200, out);
    }

    // ---------------------------------------------------------------- handlers

    private void stats(Context ctx) {
        int hours = intParam(ctx, "hours", 24, 1, 168);
        int bucketMinutes = intParam(ctx, "bucketMinutes", 60, 1, 1440);
        Duration bucket = Duration.ofMinutes(bucketMinutes);
        Instant now = clock.instant();
        // Buckets align to whole multiples of their length, so a chart drawn twice a minute does not shift.
        long bucketMillis = bucket.toMillis();
        Instant end = Instant.ofEpochMilli((now.toEpochMilli() / bucketMillis + 1) * bucketMillis);
        int count = (int) Math.ceil(Duration.ofHours(hours).toMillis() / (double) bucketMillis);
        Instant from = end.minus(bucket.multipliedBy(count));
        List<Map<Flow, long[]>> sums = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<Flow, long[]> perFlow = new LinkedHashMap<>();
            for (Flow flow : Flow.values()) {
                perFlow.put(flow, new long[] {0, 0, 0, -1});
            }
            sums.add(perFlow);
        }
        for (CycleLog cycle : store.cycles(from)) {
            int index = (int) (Duration.between(from, cycle.startedAt()).toMillis() / bucketMillis);
            if (index < 0 || index >= count) {
                continue;
            }
            long[] s = sums.get(index).get(cycle.flow());
            s[0] += cycle.written();
            s[1] += cycle.read();
            s[2] += cycle.failed();
            if (cycle.maxLag() != null) {
                s[3] = Math.max(s[3], cycle.maxLag().toMillis());
            }
        }
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("bucketMinutes", bucketMinutes);
        ArrayNode buckets = out.putArray("buckets");
        for (int i = 0; i < count; i++) {
            ObjectNode b = buckets.addObject();
            b.put("start", from.plus(bucket.multipliedBy(i)).truncatedTo(ChronoUnit.SECONDS).toString());
            ObjectNode flows = b.putObject("flows");
            sums.get(i).forEach((flow, s) -> {
                ObjectNode f = flows.putObject(flow.configName());
                f.put("written", s[0]);
                f.put("read", s[1]);
                f.put("failed", s[2]);
                if (s[3] < 0) {
                    f.putNull("maxLagSeconds");
                } else {
                    f.put("maxLagSeconds", s[3] / 1000.0);
                }
            });
        }
        json(ctx, 200, out);
    }

    private void timeline(Context ctx) {
        int limit = intParam(ctx, "limit", 50, 1, 500);
        Flow flow = flowParam(ctx);
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        store.recentHistory(flow, limit).forEach(e -> out.add(historyNode(e)));
        json(ctx, 200, out);
    }

    private void links(Context ctx) {
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 50, 1, 500);
        String q = ctx.queryParam("q");
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ArrayNode items = out.putArray("items");
        store.searchLinks(flowParam(ctx), q, offset, limit)
                .forEach(link -> items.add(ApiJson.link(link, RecordTitles.of(link))));
        json(ctx, 200, out);
    }

    private void link(Context ctx) {
        String id = ctx.pathParam("id");
        Link link = store.link(id).orElseThrow(() -> ApiProblem.notFound("no link with id " + id));
        ObjectNode out = ApiJson.link(link, RecordTitles.of(link));
        out.set("base", ApiJson.values(link.base()));
        for (Side side : Side.values()) {
            String recordId = link.idOn(side);
            ObservedRecord record = recordId == null ? null
                    : store.observed(link.flow(), side, recordId).orElse(null);
            out.set(ApiJson.name(side), ApiJson.observed(record));
        }
        ArrayNode history = out.putArray("history");
        String title = RecordTitles.of(link).name();
        store.history(id).forEach(e -> history.add(ApiJson.history(e, title)));
        json(ctx, 200, out);
    }

    private void resolve(Context ctx) {
        String id = ctx.pathParam("id");
        Conflict conflict = store.conflicts(true).stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("no open conflict with id " + id));
        JsonNode body = body(ctx);
        Map<String, Side> choices = new LinkedHashMap<>();
        if (body.hasNonNull("keep")) {
            Side keep = side(body.get("keep").asString(), "keep");
            conflict.fields().forEach(f -> choices.put(f.field(), keep));
        } else if (body.path("fields").isObject()) {
            for (Map.Entry<String, JsonNode> e : body.get("fields").properties()) {
                choices.put(e.getKey(), side(e.getValue().asString(), "fields." + e.getKey()));
            }
            for (FieldConflict f : conflict.fields()) {
                if (!choices.containsKey(f.field())) {
                    throw ApiProblem.badRequest("fields: choose a side for '" + f.field() + "' as well");
                }
            }
        } else {
            throw ApiProblem.badRequest("send {\"keep\": \"webcrm\"|\"customcrm\"} or {\"fields\": {field: side}}");
        }
        Conflict resolved = service.resolve(id, choices);
        json(ctx, 200, ApiJson.conflict(resolved, titles.nameOf(resolved.linkId())));
    }

    private void resyncRecord(Context ctx) {
        Flow flow = ManagementApi.flow(ctx, "flow");
        Side side = sidePath(ctx);
        try {
            json(ctx, 202, ApiJson.resynced(flow, service.resync(flow, side, ctx.pathParam("recordId"))));
        } catch (NoSuchElementException e) {
            throw ApiProblem.notFound(e.getMessage());
        }
    }

    /**
     * Answers a consistent copy of the store as a download: written to a private temporary folder while the
     * service goes on, streamed (a store of many links does not pass through the heap), and deleted. Nothing is
     * written where a caller could name it.
     */
    private void backup(Context ctx) throws IOException {
        Path folder = Files.createTempDirectory("crmsync-backup-");
        Path copy = folder.resolve("crmsync.db");
        try {
            store.backupTo(copy.toString());
            String name = "crmsync-" + clock.instant().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "")
                    + ".db";
            ctx.status(200).contentType("application/vnd.sqlite3")
                    .header("Content-Disposition", "attachment; filename=\"" + name + "\"");
            // Sent before the copy is deleted below, so written here rather than handed over as a result stream
            try (InputStream in = Files.newInputStream(copy)) {
                in.transferTo(ctx.outputStream());
            }
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(folder);
        }
    }

    private int deadLetterCall(Context ctx, boolean replay) {
        Flow flow = ManagementApi.flow(ctx, "flow");
        Side side = sidePath(ctx);
        String recordId = ctx.pathParam("recordId");
        boolean dead = store.observed(flow, side, recordId).filter(r -> r.status() == RecordStatus.DEAD).isPresent();
        if (!dead) {
            throw ApiProblem.notFound("no dead letter " + flow.configName() + "/" + ApiJson.name(side) + "/"
                    + recordId);
        }
        if (replay) {
            return service.replay(flow, side, recordId);
        }
        service.dismiss(flow, side, recordId);
        return 0;
    }

    private void dataflow(Context ctx) {
        String format = ctx.queryParam("format") == null ? "html" : ctx.queryParam("format");
        Document document = dataflow.get();
        switch (format.toLowerCase(Locale.ROOT)) {
            case "html" -> ctx.contentType("text/html; charset=utf-8").result(document.htmlFragment());
            case "md" -> ctx.contentType("text/markdown; charset=utf-8").result(document.render(DocumentFormat.MARKDOWN));
            case "rst" -> ctx.contentType("text/x-rst; charset=utf-8").result(document.render(DocumentFormat.RST));
            default -> throw ApiProblem.badRequest("format: '" + format + "' is not one of html, md, rst");
        }
    }

    void ready(Context ctx) {
        ObjectNode out = readiness();
        json(ctx, "up".equals(out.path("status").asString()) ? 200 : 503, out);
    }

    /**
     * @return the body of {@code /health/ready} for this connection: {@code status} {@code up} when the store and
     *         both systems answer
     */
    ObjectNode readiness() {
        boolean storeUp = service.storeAnswers();
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ObjectNode checks = out.putObject("checks");
        checks.putObject("store").put("up", storeUp).put("detail", storeUp ? null : "the store does not answer");
        boolean all = storeUp;
        for (Side side : Side.values()) {
            var state = service.health().of(side);
            all &= state.reachable();
            checks.putObject(ApiJson.name(side)).put("up", state.reachable())
                    .put("detail", state.reachable() ? null
                            : state.checkedAt() == null ? "not called yet" : state.lastError());
        }
        out.put("status", all ? "up" : "down");
        flowHealth(out, storeUp);
        return out;
    }

    /**
     * This connection's health at a glance, for the list of connections: {@code status} and {@code systems} as
     * {@code /health/ready} has them, the flows that need a person, the flows paused, and the dead letters held;
     * the last two are null while the store does not answer.
     */
    ObjectNode health() {
        ObjectNode ready = readiness();
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.set("status", ready.get("status"));
        out.set("systems", ready.get("checks"));
        out.set("failingFlows", ready.get("failingFlows"));
        if (!ready.path("checks").path("store").path("up").asBoolean()) {
            out.putNull("pausedFlows");
            out.putNull("deadLetters");
            return out;
        }
        ArrayNode paused = out.putArray("pausedFlows");
        for (Map.Entry<String, JsonNode> flow : ready.path("flows").properties()) {
            if (flow.getValue().path("paused").asBoolean()) {
                paused.add(flow.getKey());
            }
        }
        out.put("deadLetters", store.countWithStatus(RecordStatus.DEAD).values().stream()
                .mapToLong(Long::longValue).sum());
        return out;
    }

    /**
     * How each flow's last turn ended, and which flows need a person. A failing flow does not make the service
     * unready: restarting crmsync or taking it out of a load balancer mends neither a record a system refuses
     * nor a mass delete held back, and would stop the dashboard and the hooks that show and mend it. The status
     * code answers "can this process serve and reach its systems"; {@code failingFlows} answers "does a flow need
     * a person" (empty when none does), for a monitor that reads the body. No error text: this route needs no
     * token; the reason is in the status behind it.
     */
    private void flowHealth(ObjectNode out, boolean storeUp) {
        ObjectNode flows = out.putObject("flows");
        ArrayNode failing = out.putArray("failingFlows");
        if (!storeUp) {
            return; // the status reads the store; the store check above already says what fails
        }
        for (FlowStatus status : service.status().flows()) {
            Flow flow = status.flow();
            var outcome = status.outcome();
            boolean paused = status.paused();
            ObjectNode f = flows.putObject(flow.configName());
            f.put("lastResult", outcome == null ? null : outcome.result().label());
            f.put("since", outcome == null ? null : ApiJson.time(outcome.since()));
            f.put("paused", paused);
            // A paused flow is left alone on purpose: the person who paused it knows.
            if (outcome != null && outcome.needsAttention() && !paused) {
                failing.add(flow.configName());
            }
        }
    }

    // ---------------------------------------------------------------- JSON for events

    String statusJson() {
        return status().toString();
    }

    private ObjectNode status() {
        return ApiJson.status(service.status(), unsynced.waitingCounts());
    }

    private ObjectNode flowJson(FlowStatus flow) {
        return ApiJson.flow(flow, unsynced.waitingCounts().getOrDefault(flow.flow(), 0L));
    }

    String historyJson(HistoryEntry entry) {
        return historyNode(entry).toString();
    }

    private ObjectNode historyNode(HistoryEntry entry) {
        return ApiJson.history(entry, titles.nameOf(entry.linkId()));
    }

    // ---------------------------------------------------------------- parameters

    static JsonNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            return ApiJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = ApiJson.MAPPER.readTree(text);
            if (!node.isObject()) {
                throw ApiProblem.badRequest("the body must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            // Only where, never Jackson's own words: they quote the text they could not read, and a sign-in body
            // holds the service token (a token pasted without quotes came back in the answer).
            TokenStreamLocation at = e.getLocation();
            throw ApiProblem.badRequest("the body is not JSON" + (at == null || at.getLineNr() < 1 ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < min || value > max) {
                throw ApiProblem.badRequest(name + ": must be " + min + ".." + max + ", not " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + ": '" + text + "' is not a whole number");
        }
    }

    private static Flow flowParam(Context ctx) {
        String text = ctx.queryParam("flow");
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Flow.fromConfigName(text.strip());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("flow: " + e.getMessage());
        }
    }

    private static Side sidePath(Context ctx) {
        try {
            return side(ctx.pathParam("side"), "side");
        } catch (ApiProblem e) {
            throw ApiProblem.notFound(e.getMessage());
        }
    }

    private static Side side(String text, String key) {
        try {
            return Side.fromConfigName(text);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(key + ": " + e.getMessage());
        }
    }

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
