package dev.crmsync.app.simulate;

import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import tools.jackson.databind.JsonNode;

/**
 * The control routes every simulator offers beside the API it simulates, so that a test or a person can switch
 * faults on and off and count traffic over plain HTTP:
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
 * </pre>
 *
 * Each simulator also offers {@code /_sim/revoke} ({@link CredentialRevocation}) to withdraw its credentials.
 *
 * These routes are not part of either CRM's API and are never faulted or rate limited.
 *
 * <p>This class is threadsafe.
 */
public final class SimulatorControl {

    private SimulatorControl() {
    }

    /**
     * Installs the control routes and the traffic counting.
     *
     * @param cfg     the server configuration being built
     * @param faults  the simulator's fault injector
     * @param traffic the simulator's traffic log
     * @param isWrite tells, from method and route template, whether a request changes data
     */
    public static void install(JavalinConfig cfg, FaultInjector faults, TrafficLog traffic,
                               BiPredicate<String, String> isWrite) {
        cfg.requestLogger.http((ctx, ms) -> {
            if (ctx.path().startsWith("/_sim")) {
                return;
            }
            var endpoint = ctx.endpoints().lastHttpEndpoint();
            String route = endpoint != null ? endpoint.path : ctx.path();
            String method = ctx.method().name();
            traffic.record(method, route, ctx.statusCode(), isWrite.test(method, route));
        });
        cfg.routes.get("/_sim/faults", ctx -> ctx.json(describe(faults)));
        cfg.routes.put("/_sim/faults", ctx -> {
            JsonNode body = body(ctx);
            try {
                faults.settings(new FaultSettings(
                        Duration.ofMillis(body.path("latencyMillis").asLong(0)),
                        body.path("serverErrorRate").asDouble(0),
                        body.path("dropRate").asDouble(0),
                        body.path("malformedPageRate").asDouble(0)));
            } catch (IllegalArgumentException e) {
                throw new BadRequestResponse(e.getMessage());
            }
            ctx.json(describe(faults));
        });
        cfg.routes.delete("/_sim/faults", ctx -> {
            faults.reset();
            ctx.json(describe(faults));
        });
        cfg.routes.post("/_sim/faults/fail-next", ctx -> {
            JsonNode body = body(ctx);
            queue(() -> faults.failNext(body.path("count").asInt(1), body.path("status").asInt(429),
                    Duration.ofSeconds(body.path("retryAfterSeconds").asLong(1))));
            ctx.json(describe(faults));
        });
        cfg.routes.post("/_sim/faults/drop-next", ctx -> {
            JsonNode body = body(ctx);
            queue(() -> faults.dropNext(body.path("count").asInt(1)));
            ctx.json(describe(faults));
        });
        cfg.routes.post("/_sim/faults/lose-next-answers", ctx -> {
            JsonNode body = body(ctx);
            queue(() -> faults.loseNextWriteAnswers(body.path("count").asInt(1)));
            ctx.json(describe(faults));
        });
        cfg.routes.post("/_sim/faults/slow-next", ctx -> {
            JsonNode body = body(ctx);
            queue(() -> faults.slowNext(body.path("count").asInt(1),
                    Duration.ofMillis(body.path("latencyMillis").asLong(1000))));
            ctx.json(describe(faults));
        });
        cfg.routes.post("/_sim/faults/malform-next-pages", ctx -> {
            JsonNode body = body(ctx);
            queue(() -> faults.malformNextPages(body.path("count").asInt(1)));
            ctx.json(describe(faults));
        });
        cfg.routes.get("/_sim/traffic", ctx -> ctx.json(traffic.snapshot()));
        cfg.routes.delete("/_sim/traffic", ctx -> {
            traffic.reset();
            ctx.json(traffic.snapshot());
        });
    }

    private static void queue(Runnable change) {
        try {
            change.run();
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        }
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
