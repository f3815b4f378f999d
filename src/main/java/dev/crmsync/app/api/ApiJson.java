package dev.crmsync.app.api;

import dev.crmsync.adapters.http.CircuitBreaker;
import dev.crmsync.app.config.Durations;
import dev.crmsync.app.service.FlowStatus;
import dev.crmsync.app.service.ProgressTracker;
import dev.crmsync.app.service.ServiceStatus;
import dev.crmsync.app.service.SystemStatus;
import dev.crmsync.engine.CycleReport;
import dev.crmsync.engine.FlowPlan;
import dev.crmsync.engine.PlannedChange;
import dev.crmsync.model.FieldValues;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.Side;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.CycleLog;
import dev.crmsync.ports.FieldConflict;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API's JSON shapes, as its OpenAPI document defines them, built from the service's values by hand: the
 * public contract does not change when an internal record does. Flows and sides are lower-case names, times
 * ISO-8601 UTC, durations as in the configuration ({@code 30s}).
 */
public final class ApiJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ApiJson() {
    }

    static String name(Flow flow) {
        return flow.configName();
    }

    static String name(Side side) {
        return side == null ? null : side.configName();
    }

    /**
     * @param status  the service's status
     * @param waiting how many records wait, per flow (the service does not count them; the store does)
     */
    static ObjectNode status(ServiceStatus status, Map<Flow, Long> waiting) {
        ObjectNode out = NODES.objectNode();
        out.put("startedAt", time(status.startedAt()));
        out.put("ready", status.ready());
        ArrayNode flows = out.putArray("flows");
        status.flows().forEach(f -> flows.add(flow(f, waiting.getOrDefault(f.flow(), 0L))));
        ArrayNode systems = out.putArray("systems");
        status.systems().forEach(s -> systems.add(system(s)));
        return out;
    }

    static ObjectNode flow(FlowStatus f, long waiting) {
        ObjectNode out = NODES.objectNode();
        out.put("flow", name(f.flow()));
        out.put("title", f.title());
        out.put("state", f.state());
        out.put("paused", f.paused());
        out.put("interval", Durations.format(f.interval()));
        out.put("reconcileInterval", Durations.format(f.reconcileInterval()));
        out.set("lastCycle", f.lastCycle() == null ? NODES.nullNode() : cycle(f.lastCycle()));
        out.put("nextCycleAt", time(f.nextCycleAt()));
        out.put("nextReconcileAt", time(f.nextReconcileAt()));
        out.put("links", f.links());
        out.put("deadLetters", f.deadLetters());
        out.put("waitingRecords", waiting);
        out.put("openConflicts", f.openConflicts());
        putSeconds(out, "lagSeconds", f.lag());
        out.put("lastError", f.lastError());
        out.put("lastResult", f.outcome() == null ? null : f.outcome().result().label());
        out.put("lastResultSince", f.outcome() == null ? null : time(f.outcome().since()));
        out.set("progress", f.progress() == null ? NODES.nullNode() : progress(f.progress()));
        return out;
    }

    private static ObjectNode progress(ProgressTracker.Progress p) {
        ObjectNode out = NODES.objectNode();
        out.put("done", p.done());
        out.put("total", p.total());
        if (p.ratePerSecond() == null) {
            out.putNull("ratePerSecond");
        } else {
            out.put("ratePerSecond", Math.round(p.ratePerSecond() * 10) / 10.0);
        }
        putSeconds(out, "etaSeconds", p.timeLeft());
        out.put("startedAt", time(p.startedAt()));
        return out;
    }

    static ObjectNode cycle(CycleLog c) {
        ObjectNode out = NODES.objectNode();
        out.put("startedAt", time(c.startedAt()));
        out.put("finishedAt", time(c.finishedAt()));
        out.put("durationMs", Duration.between(c.startedAt(), c.finishedAt()).toMillis());
        out.put("reconcile", c.reconcile());
        out.put("trigger", c.trigger());
        out.put("read", c.read());
        out.put("written", c.written());
        out.put("failed", c.failed());
        putSeconds(out, "maxLagSeconds", c.maxLag());
        out.put("error", c.error());
        return out;
    }

    private static ObjectNode system(SystemStatus s) {
        ObjectNode out = NODES.objectNode();
        out.put("side", name(s.side()));
        out.put("title", s.side().label());
        out.put("reachable", s.health().reachable());
        out.put("lastCheckAt", time(s.health().checkedAt()));
        out.put("lastError", s.health().lastError());
        out.put("budgetUsed", s.budgetUsed());
        out.put("budgetLimit", s.budgetLimit());
        out.put("calls", s.calls());
        out.put("throttled", s.throttled());
        out.put("hooksReceived", s.hooksReceived());
        CircuitBreaker.Status circuit = s.health().circuit();
        ObjectNode c = out.putObject("circuit");
        c.put("state", circuit.state().label());
        c.put("since", time(circuit.since()));
        c.put("nextTrialAt", time(circuit.nextTrialAt()));
        c.put("lastProblem", circuit.lastProblem());
        return out;
    }

    static ObjectNode history(HistoryEntry e, String title) {
        ObjectNode out = NODES.objectNode();
        out.put("linkId", e.linkId());
        out.put("flow", name(e.flow()));
        out.put("title", title);
        out.put("at", time(e.at()));
        out.put("origin", name(e.origin()));
        out.put("action", e.action());
        out.put("detail", e.detail());
        ObjectNode changes = out.putObject("changes");
        new TreeMap<>(e.changes()).forEach((field, change) -> {
            ObjectNode c = changes.putObject(field);
            c.set("before", value(change.before()));
            c.set("after", value(change.after()));
        });
        return out;
    }

    static ObjectNode link(Link link, RecordTitles.Title title) {
        ObjectNode out = NODES.objectNode();
        out.put("id", link.id());
        out.put("flow", name(link.flow()));
        out.put("webcrmId", link.webcrmId());
        out.put("customcrmId", link.customcrmId());
        out.put("state", link.state().name().toLowerCase(Locale.ROOT));
        out.put("title", title.name());
        out.put("email", title.email());
        out.put("updatedAt", time(link.updatedAt()));
        return out;
    }

    static ObjectNode values(FieldValues values) {
        ObjectNode out = NODES.objectNode();
        if (values != null) {
            new TreeMap<>(values.asMap()).forEach((field, value) -> out.set(field, value(value)));
        }
        return out;
    }

    static JsonNode observed(ObservedRecord record) {
        if (record == null) {
            return NODES.nullNode();
        }
        ObjectNode out = NODES.objectNode();
        out.put("id", record.id());
        out.put("status", record.status().name().toLowerCase(Locale.ROOT));
        out.put("reason", record.reason());
        out.put("deleted", record.record().deleted());
        out.put("observedAt", time(record.observedAt()));
        ObjectNode properties = out.putObject("properties");
        new TreeMap<>(record.record().properties()).forEach((k, v) -> properties.set(k, value(v)));
        return out;
    }

    /**
     * The nodes of a cluster, as {@code /api/nodes} and {@code crmsync nodes --json} give them.
     *
     * @param answering the node that answers, or null where no node does (the command line)
     * @param nodes     the nodes
     * @return {@code node} (the answering one, when there is one) and {@code nodes}
     */
    public static ObjectNode nodes(String answering, List<ClusterView.Node> nodes) {
        ObjectNode out = MAPPER.createObjectNode();
        if (answering != null) {
            out.put("node", answering);
        }
        ArrayNode list = out.putArray("nodes");
        for (ClusterView.Node node : nodes) {
            ObjectNode item = list.addObject();
            item.put("name", node.name());
            item.put("url", node.url());
            item.put("startedAt", node.startedAt() == null ? null : node.startedAt().toString());
            item.put("heartbeat", node.heartbeat() == null ? null : node.heartbeat().toString());
            item.put("alive", node.alive());
            item.put("self", node.name().equals(answering));
            ArrayNode held = item.putArray("connections");
            node.connections().forEach(held::add);
        }
        return out;
    }

    /**
     * What a resync of one record read, the shape the API answers and {@code crmsync resync --json} prints.
     *
     * @param flow    the flow
     * @param records the records read again, the asked one first
     * @return {@code {"flow": ..., "records": [{"side", "id", "deleted"}]}}
     */
    public static ObjectNode resynced(Flow flow, List<ObservedRecord> records) {
        ObjectNode out = NODES.objectNode();
        out.put("flow", name(flow));
        ArrayNode read = out.putArray("records");
        for (ObservedRecord r : records) {
            read.addObject().put("side", name(r.side())).put("id", r.id()).put("deleted", r.record().deleted());
        }
        return out;
    }

    static ObjectNode conflict(Conflict c, String title) {
        ObjectNode out = NODES.objectNode();
        out.put("id", c.id());
        out.put("flow", name(c.flow()));
        out.put("linkId", c.linkId());
        out.put("title", title);
        out.put("open", c.isOpen());
        out.put("policy", c.policy());
        out.put("detectedAt", time(c.detectedAt()));
        out.put("resolvedAt", time(c.resolvedAt()));
        out.put("resolvedBy", c.resolvedBy());
        ArrayNode fields = out.putArray("fields");
        for (FieldConflict f : c.fields()) {
            ObjectNode field = fields.addObject();
            field.put("field", f.field());
            field.set("base", value(f.base()));
            field.set("webcrm", value(f.webcrm()));
            field.set("customcrm", value(f.customcrm()));
            field.put("winner", name(f.winner()));
        }
        return out;
    }

    static ObjectNode deadLetter(ObservedRecord r, String title) {
        ObjectNode out = NODES.objectNode();
        out.put("flow", name(r.flow()));
        out.put("side", name(r.side()));
        out.put("recordId", r.id());
        out.put("title", title);
        out.put("reason", r.reason() == null ? "" : r.reason());
        out.put("attempts", r.attempts());
        out.put("observedAt", time(r.observedAt()));
        return out;
    }

    static ObjectNode heldDelete(HeldDeletes.HeldDelete held) {
        ObjectNode out = NODES.objectNode();
        out.put("flow", name(held.removal().flow()));
        out.put("linkId", held.removal().linkId());
        out.put("title", held.title());
        out.put("side", name(held.removal().seenOn()));
        out.put("recordId", held.removal().recordId());
        out.put("otherSide", name(held.otherSide()));
        out.put("otherRecordId", held.otherRecordId());
        out.put("wouldDo", held.removal().summary());
        out.put("heldAt", time(held.removal().heldAt()));
        out.put("accepted", held.removal().accepted());
        return out;
    }

    static ObjectNode waiting(WaitingRecord w) {
        ObjectNode out = NODES.objectNode();
        out.put("flow", name(w.flow()));
        out.put("side", name(w.side()));
        out.put("recordId", w.recordId());
        out.put("title", w.title());
        out.put("reason", w.reason());
        out.put("explanation", w.explanation());
        out.put("observedAt", time(w.observedAt()));
        out.put("waitingSeconds", w.waited().toSeconds());
        ArrayNode parents = out.putArray("parents");
        for (WaitingRecord.Parent p : w.parents()) {
            ObjectNode parent = parents.addObject();
            parent.put("flow", name(p.flow()));
            parent.put("side", name(p.side()));
            parent.put("recordId", p.recordId());
            parent.put("title", p.title());
            parent.put("status", p.standing().apiName());
            parent.put("reason", p.reason());
            parent.put("linkId", p.linkId());
        }
        return out;
    }

    static ObjectNode plan(CycleReport report) {
        ObjectNode out = NODES.objectNode();
        ArrayNode flows = out.putArray("flows");
        for (FlowPlan plan : report.plans()) {
            ObjectNode f = flows.addObject();
            f.put("flow", name(plan.flow()));
            f.put("writes", plan.changes().stream().filter(PlannedChange::writes).count());
            ArrayNode changes = f.putArray("changes");
            for (PlannedChange change : plan.changes()) {
                ObjectNode c = changes.addObject();
                c.put("summary", change.summary());
                c.put("writes", change.writes());
            }
        }
        ArrayNode trips = out.putArray("breakerTrips");
        report.breakerTrips().forEach(trips::add);
        return out;
    }

    /** A canonical value as JSON: numbers exact, dates and references as text. */
    static JsonNode value(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case String s -> NODES.stringNode(s);
            case Boolean b -> NODES.booleanNode(b);
            case BigDecimal d -> NODES.numberNode(d);
            case Long l -> NODES.numberNode(l);
            case Integer i -> NODES.numberNode(i);
            case Double d -> NODES.numberNode(d);
            case Temporal t -> NODES.stringNode(t.toString());
            case Map<?, ?> m -> MAPPER.valueToTree(m);
            case java.util.Collection<?> c -> MAPPER.valueToTree(c);
            default -> NODES.stringNode(value.toString());
        };
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static void putSeconds(ObjectNode out, String key, Duration duration) {
        if (duration == null) {
            out.putNull(key);
        } else {
            out.put(key, duration.toMillis() / 1000.0);
        }
    }
}
