package dev.crmsync.adapters.store;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.ports.CycleLog;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.RecordStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The SQL of what the long-running service reads and keeps beyond the sync itself: the timeline, link search,
 * the counts of its status and the cycle log. Kept apart from {@link StoreStatements}, which holds what the engine needs.
 */
final class ServiceStatements {

    /** A search reads at most this many candidate rows before it stops; enough for a person's query. */
    private static final int SEARCH_SCAN_LIMIT = 20_000;

    private ServiceStatements() {
    }

    static List<HistoryEntry> recentHistory(Handle h, Flow flow, int limit) {
        StoreStatements.requirePage(0, limit);
        Query query = h.createQuery("SELECT " + StoreStatements.HISTORY_COLUMNS + " FROM history"
                + (flow == null ? "" : " WHERE flow = :flow") + " ORDER BY at DESC, link_id, seq DESC LIMIT :limit");
        if (flow != null) {
            query.bind("flow", flow.name());
        }
        return query.bind("limit", limit).map(StoreStatements::historyEntry).list();
    }

    /**
     * An id matches whole; any other text matches a part of a value (never a property name) of a linked record.
     * SQL finds the candidates whose JSON holds the text anywhere; Java then keeps those where a value holds it.
     */
    static List<Link> searchLinks(Handle h, Flow flow, String text, int offset, int limit) {
        StoreStatements.requirePage(offset, limit);
        String q = text == null ? "" : text.strip();
        String columns = prefixed("l.", StoreStatements.LINK_COLUMNS);
        if (q.isEmpty()) {
            return StoreStatements.links(h, flow, offset, limit);
        }
        String needle = q.toLowerCase(Locale.ROOT);
        Query query = h.createQuery("SELECT " + columns + ", o.properties AS found_properties FROM links l "
                + "LEFT JOIN observed_records o ON o.flow = l.flow AND ((o.side = 'WEBCRM' AND o.record_id = l.webcrm_id)"
                + " OR (o.side = 'CUSTOMCRM' AND o.record_id = l.customcrm_id)) "
                + "WHERE (l.id = :q OR l.webcrm_id = :q OR l.customcrm_id = :q OR lower(o.properties) LIKE :pattern ESCAPE '\\')"
                + (flow == null ? "" : " AND l.flow = :flow")
                + " ORDER BY l.created_seq, l.id LIMIT :scan");
        query.bind("q", q).bind("pattern", "%" + likeEscaped(needle) + "%").bind("scan", SEARCH_SCAN_LIMIT);
        if (flow != null) {
            query.bind("flow", flow.name());
        }
        Map<String, Link> found = new LinkedHashMap<>();
        query.map((rs, ctx) -> {
            Link link = StoreStatements.link(rs, ctx);
            boolean byId = q.equals(link.id()) || q.equals(link.webcrmId()) || q.equals(link.customcrmId());
            if (byId || valuesContain(rs.getString("found_properties"), needle)) {
                found.putIfAbsent(link.id(), link);
            }
            return link;
        }).list();
        // A whole id is what a person pasted from one of the systems: its link comes before those that merely
        // mention the text.
        List<Link> all = new ArrayList<>();
        found.values().stream().filter(l -> q.equals(l.id()) || q.equals(l.webcrmId()) || q.equals(l.customcrmId()))
                .forEach(all::add);
        found.values().stream().filter(l -> !all.contains(l)).forEach(all::add);
        if (offset >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList(offset, Math.min(all.size(), offset + limit)));
    }

    static Map<Flow, Long> countWithStatus(Handle h, RecordStatus status) {
        return countPerFlow(h.createQuery("SELECT flow, COUNT(*) AS n FROM observed_records WHERE status = :status "
                + "GROUP BY flow").bind("status", status.name()));
    }

    static Map<Flow, Long> countOpenConflicts(Handle h) {
        return countPerFlow(h.createQuery("SELECT flow, COUNT(*) AS n FROM conflicts WHERE resolved_at IS NULL "
                + "GROUP BY flow"));
    }

    private static Map<Flow, Long> countPerFlow(Query query) {
        Map<Flow, Long> out = new EnumMap<>(Flow.class);
        query.map((rs, ctx) -> out.put(Flow.valueOf(rs.getString("flow")), rs.getLong("n"))).list();
        return out;
    }

    static void appendCycle(Handle h, CycleLog entry) {
        h.createUpdate("""
                        INSERT INTO cycles (flow, started_at, finished_at, trigger_kind, reconcile, records_read, written,
                                            failed, max_lag_ms, error)
                        VALUES (:flow, :startedAt, :finishedAt, :trigger, :reconcile, :read, :written, :failed, :lag,
                                :error)
                        ON CONFLICT (flow, started_at) DO UPDATE SET finished_at = excluded.finished_at,
                            trigger_kind = excluded.trigger_kind, reconcile = excluded.reconcile,
                            records_read = excluded.records_read, written = excluded.written,
                            failed = excluded.failed, max_lag_ms = excluded.max_lag_ms, error = excluded.error""")
                .bind("flow", entry.flow().name())
                .bind("startedAt", StoreStatements.text(entry.startedAt()))
                .bind("finishedAt", StoreStatements.text(entry.finishedAt()))
                .bind("trigger", entry.trigger())
                .bind("reconcile", entry.reconcile())
                .bind("read", entry.read())
                .bind("written", entry.written())
                .bind("failed", entry.failed())
                .bind("lag", entry.maxLag() == null ? null : entry.maxLag().toMillis())
                .bind("error", entry.error())
                .execute();
    }

    static Set<Flow> pausedFlows(Handle h) {
        Set<Flow> out = EnumSet.noneOf(Flow.class);
        h.createQuery("SELECT flow FROM paused_flows").map((rs, ctx) -> out.add(Flow.valueOf(rs.getString("flow"))))
                .list();
        return out;
    }

    static void setPaused(Handle h, Flow flow, boolean paused, Instant at) {
        if (paused) {
            h.createUpdate("INSERT INTO paused_flows (flow, paused_at) VALUES (:flow, :at) ON CONFLICT (flow) DO NOTHING")
                    .bind("flow", flow.name()).bind("at", StoreStatements.text(at)).execute();
        } else {
            h.createUpdate("DELETE FROM paused_flows WHERE flow = :flow").bind("flow", flow.name()).execute();
        }
    }

    static List<CycleLog> cycles(Handle h, Instant since) {
        return h.createQuery("""
                        SELECT flow, started_at, finished_at, trigger_kind, reconcile, records_read, written, failed,
                               max_lag_ms, error
                          FROM cycles WHERE started_at >= :since ORDER BY started_at, flow""")
                .bind("since", StoreStatements.text(since))
                .map((rs, ctx) -> {
                    long lag = rs.getLong("max_lag_ms");
                    boolean noLag = rs.wasNull();
                    return new CycleLog(Flow.valueOf(rs.getString("flow")),
                            StoreStatements.instant(rs.getString("started_at")),
                            StoreStatements.instant(rs.getString("finished_at")),
                            rs.getString("trigger_kind"), rs.getBoolean("reconcile"), rs.getInt("records_read"),
                            rs.getInt("written"), rs.getInt("failed"), noLag ? null : Duration.ofMillis(lag),
                            rs.getString("error"));
                })
                .list();
    }

    static void pruneCycles(Handle h, Instant before) {
        h.createUpdate("DELETE FROM cycles WHERE started_at < :before")
                .bind("before", StoreStatements.text(before))
                .execute();
    }

    private static boolean valuesContain(String json, String needle) {
        if (json == null) {
            return false;
        }
        try {
            return valueContains(JsonColumns.MAPPER.readTree(json), needle);
        } catch (JacksonException e) {
            return false;
        }
    }

    private static boolean valueContains(JsonNode node, String needle) {
        if (node.isContainer()) {
            for (JsonNode child : node) {
                if (valueContains(child, needle)) {
                    return true;
                }
            }
            return false;
        }
        return !node.isNull() && node.asString().toLowerCase(Locale.ROOT).contains(needle);
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String prefixed(String prefix, String columns) {
        StringBuilder out = new StringBuilder();
        for (String column : columns.split(",")) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(prefix).append(column.strip());
        }
        return out.toString();
    }
}
