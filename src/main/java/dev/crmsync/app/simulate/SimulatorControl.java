package dev.crmsync.app.simulate;

import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The control routes every simulator offers beside the API it simulates, so that a test or a person can switch
 * faults on and off, withdraw credentials and count traffic over plain HTTP:
 *
 * <pre>
 * GET    /_sim/faults                      standing faults and how many one-shot faults are queued
 * PUT    /_sim/faults                      {"latencyMillis":0,"serverErrorRate":0,"dropRate":0,"malformedPageRate":0}
 * DELETE /_sim/faults                      all faults off
 * POST   /_sim/faults/fail-next            {"count":5,"status":429,"retryAfterSeconds":3}
 * POST   /_sim/faults/drop-next            {"count":1}
 * POST   /_sim/faults/lose-next-answers    {"count":1}   the next writes are carried out, their answers lost
 * POST   /_sim/faults/malform-next-pages   {"count":1}
 * POST   /_sim/faults/slow-next            {"count":3,"latencyMillis":1000}   a latency spike on the next requests
 * GET    /_sim/traffic                     requests answered, by route and status
 * DELETE /_sim/traffic                     count from zero
 * GET    /_sim/revoke                      {"revoked":false,"writesBeforeRevocation":null}
 * POST   /_sim/revoke                      {"afterWrites":0}   0 (the default): at once; N: after N more writes
 * DELETE /_sim/revoke                      the credentials are good again
 * </pre>
 *
 * <p>Every route is there twice: under {@code /_sim} it acts on all tenants (a queued fault is queued for each, a
 * revocation after N writes counts each tenant's own writes), under {@code /_sim/tenants/{k}} on tenant {@code k}
 * alone. A tenant's routes answer as a single-tenant simulator always has; so do the routes for all tenants of a
 * simulator built without a number of tenants. Those of a simulator built for a number of tenants answer tenant by
 * tenant, {@code {"tenants": {"1": {…}, "2": {…}}}}, and the traffic in total besides:
 * {@code {"total": …, "writes": …, "byRoute": {…}, "byStatus": {…}, "tenants": {…}}}, where the total also counts
 * the requests that carried no tenant's credentials.
 *
 * <p>These routes are not part of either CRM's API and are never faulted, rate limited or authenticated.
 *
 * <p>This class is threadsafe.
 */
public final class SimulatorControl {

    private static final String ALL_TENANTS = "/_sim";
    private static final String ONE_TENANT = "/_sim/tenants/{tenant}";
    private static final String TENANT_PARAMETER = "tenant";

    private final SimulatorTenants<?> tenants;

    private SimulatorControl(SimulatorTenants<?> tenants) {
        this.tenants = tenants;
    }

    /**
     * Installs the control routes and the traffic counting for a simulator of one tenant with no credentials to
     * withdraw.
     *
     * @param cfg     the server configuration being built
     * @param faults  the simulator's fault injector
     * @param traffic the simulator's traffic log
     * @param isWrite tells, from method and route template, whether a request changes data
     */
    public static void install(JavalinConfig cfg, FaultInjector faults, TrafficLog traffic,
                               BiPredicate<String, String> isWrite) {
        SimulatedTenant only = new SimulatedTenant(1, faults, traffic) {
        };
        install(cfg, new SimulatorTenants<>(List.of(only), false), isWrite);
    }

    /**
     * Installs the control routes and the traffic counting.
     *
     * @param cfg     the server configuration being built
     * @param tenants the simulator's tenants; a request is counted under the one it is attributed to
     * @param isWrite tells, from method and route template, whether a request changes data
     */
    public static void install(JavalinConfig cfg, SimulatorTenants<?> tenants, BiPredicate<String, String> isWrite) {
        cfg.requestLogger.http((ctx, ms) -> {
            if (ctx.path().startsWith(ALL_TENANTS)) {
                return;
            }
            var endpoint = ctx.endpoints().lastHttpEndpoint();
            String route = endpoint != null ? endpoint.path : ctx.path();
            String method = ctx.method().name();
            TrafficLog traffic = tenants.attributed(ctx).<TrafficLog>map(SimulatedTenant::traffic)
                    .orElse(tenants.unattributed());
            traffic.record(method, route, ctx.statusCode(), isWrite.test(method, route));
        });
        SimulatorControl control = new SimulatorControl(tenants);
        control.installFor(cfg, ALL_TENANTS);
        control.installFor(cfg, ONE_TENANT);
    }

    private void installFor(JavalinConfig cfg, String prefix) {
        String faults = prefix + "/faults";
        cfg.routes.get(faults, ctx -> answerFaults(ctx));
        cfg.routes.put(faults, ctx -> {
            JsonNode body = body(ctx);
            FaultSettings settings;
            try {
                settings = new FaultSettings(
                        Duration.ofMillis(body.path("latencyMillis").asLong(0)),
                        body.path("serverErrorRate").asDouble(0),
                        body.path("dropRate").asDouble(0),
                        body.path("malformedPageRate").asDouble(0));
            } catch (IllegalArgumentException e) {
                throw new BadRequestResponse(e.getMessage());
            }
            targets(ctx).forEach(t -> t.faults().settings(settings));
            answerFaults(ctx);
        });
        cfg.routes.delete(faults, ctx -> {
            targets(ctx).forEach(t -> t.faults().reset());
            answerFaults(ctx);
        });
        queueRoute(cfg, faults + "/fail-next", (body, injector) -> injector.failNext(body.path("count").asInt(1),
                body.path("status").asInt(429), Duration.ofSeconds(body.path("retryAfterSeconds").asLong(1))));
        queueRoute(cfg, faults + "/drop-next", (body, injector) -> injector.dropNext(body.path("count").asInt(1)));
        queueRoute(cfg, faults + "/lose-next-answers",
                (body, injector) -> injector.loseNextWriteAnswers(body.path("count").asInt(1)));
        queueRoute(cfg, faults + "/slow-next", (body, injector) -> injector.slowNext(body.path("count").asInt(1),
                Duration.ofMillis(body.path("latencyMillis").asLong(1000))));
        queueRoute(cfg, faults + "/malform-next-pages",
                (body, injector) -> injector.malformNextPages(body.path("count").asInt(1)));

        String traffic = prefix + "/traffic";
        cfg.routes.get(traffic, this::answerTraffic);
        cfg.routes.delete(traffic, ctx -> {
            targets(ctx).forEach(t -> t.traffic().reset());
            if (!isOneTenant(ctx)) {
                tenants.unattributed().reset();
            }
            answerTraffic(ctx);
        });

        String revoke = prefix + "/revoke";
        cfg.routes.get(revoke, ctx -> answerRevocation(ctx));
        cfg.routes.post(revoke, ctx -> {
            List<? extends SimulatedTenant> targets = targets(ctx);
            try {
                int afterWrites = ctx.body().isBlank() ? 0
                        : SimulatorJson.mapper().readTree(ctx.body()).path("afterWrites").asInt(0);
                // The first tenant refuses a negative count before any revocation is scheduled.
                for (SimulatedTenant target : targets) {
                    target.revocation().revokeAfterWrites(afterWrites);
                }
            } catch (RuntimeException e) {
                throw new BadRequestResponse("expected {\"afterWrites\": N} with N >= 0: " + e.getMessage());
            }
            answerRevocation(ctx);
        });
        cfg.routes.delete(revoke, ctx -> {
            targets(ctx).forEach(t -> t.revocation().reinstate());
            answerRevocation(ctx);
        });
    }

    /** A route that queues one-shot faults; a bad count or status queues nothing for any tenant. */
    private void queueRoute(JavalinConfig cfg, String path, JsonQueue queue) {
        cfg.routes.post(path, ctx -> {
            JsonNode body = body(ctx);
            List<? extends SimulatedTenant> targets = targets(ctx);
            try {
                // The first tenant checks the values before anything is queued, so a refusal leaves all as they were.
                for (SimulatedTenant target : targets) {
                    queue.accept(body, target.faults());
                }
            } catch (IllegalArgumentException e) {
                throw new BadRequestResponse(e.getMessage());
            }
            answerFaults(ctx);
        });
    }

    /** Queues faults as a request body asks. */
    @FunctionalInterface
    private interface JsonQueue {
        void accept(JsonNode body, FaultInjector injector);
    }

    private void answerFaults(Context ctx) {
        ctx.json(answer(ctx, t -> describe(t.faults())));
    }

    private void answerRevocation(Context ctx) {
        ctx.json(answer(ctx, t -> t.revocation().describe()));
    }

    private void answerTraffic(Context ctx) {
        if (isOneTenant(ctx) || !tenants.numbered()) {
            ctx.json(targets(ctx).getFirst().traffic().snapshot());
            return;
        }
        TrafficLog.Snapshot total = tenants.totalTraffic();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total.total());
        out.put("writes", total.writes());
        out.put("byRoute", total.byRoute());
        out.put("byStatus", total.byStatus());
        out.put("tenants", byTenant(t -> t.traffic().snapshot()));
        ctx.json(out);
    }

    /**
     * @return what one tenant's route answers, or, for all tenants of a numbered simulator, that tenant by tenant
     */
    private Object answer(Context ctx, Function<SimulatedTenant, Object> describe) {
        if (isOneTenant(ctx) || !tenants.numbered()) {
            return describe.apply(targets(ctx).getFirst());
        }
        return Map.of("tenants", byTenant(describe));
    }

    private Map<String, Object> byTenant(Function<SimulatedTenant, Object> describe) {
        Map<String, Object> out = new LinkedHashMap<>();
        tenants.all().forEach(t -> out.put(Integer.toString(t.number()), describe.apply(t)));
        return out;
    }

    /**
     * @return the tenant the path names, or all tenants
     * @throws NotFoundResponse when the path names a tenant the simulator does not have
     */
    private List<? extends SimulatedTenant> targets(Context ctx) {
        if (!isOneTenant(ctx)) {
            return tenants.all();
        }
        String text = ctx.pathParam(TENANT_PARAMETER);
        try {
            return List.of(tenants.get(Integer.parseInt(text)));
        } catch (IllegalArgumentException e) {
            // Also a number that is not one: the path names no tenant either way.
            throw new NotFoundResponse("no tenant " + text + ": " + tenants.range());
        }
    }

    private static boolean isOneTenant(Context ctx) {
        return ctx.pathParamMap().containsKey(TENANT_PARAMETER);
    }

    private static JsonNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            return SimulatorJson.mapper().createObjectNode();
        }
        try {
            return SimulatorJson.mapper().readTree(text);
        } catch (RuntimeException e) {
            throw new BadRequestResponse("body is not JSON: " + e.getMessage());
        }
    }

    private static Map<String, Object> describe(FaultInjector faults) {
        FaultSettings s = faults.settings();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("latencyMillis", s.latency().toMillis());
        out.put("serverErrorRate", s.serverErrorRate());
        out.put("dropRate", s.dropRate());
        out.put("malformedPageRate", s.malformedPageRate());
        out.put("queued", faults.pending());
        return out;
    }
}
