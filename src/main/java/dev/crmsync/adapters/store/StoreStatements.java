package dev.crmsync.adapters.store;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Link;
import dev.crmsync.model.LinkState;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Conflict;
import dev.crmsync.ports.CreateIntent;
import dev.crmsync.ports.HeldRemoval;
import dev.crmsync.ports.HistoryEntry;
import dev.crmsync.ports.ObservedRecord;
import dev.crmsync.ports.PendingUpdate;
import dev.crmsync.ports.RecordStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * The store's SQL and row mapping, written once for every database the schema in {@code db/migration} runs on.
 * Each method runs its statements on the handle it is given and leaves transactions, locking and connection
 * life to the caller ({@link SqlStore}, on SQLite or PostgreSQL).
 *
 * <p>Conventions, all portable: enums by constant name, instants as fixed-width ISO-8601 UTC text (see
 * {@link #text(Instant)}), JSON as TEXT (see {@link FieldValuesCodec} and {@link JsonColumns}), upserts as
 * {@code INSERT … ON CONFLICT (…) DO UPDATE SET … = excluded.…}.
 *
 * <p>This class is threadsafe: it is stateless, though a {@link Handle} is not, so callers must not share one.
 */
final class StoreStatements {

    /**
     * Nine fraction digits always: {@link Instant#toString()} drops zero digits, and then {@code 10:00:00Z} would
     * sort after {@code 10:00:00.5Z}. A fixed width makes text order time order, and keeps nanoseconds exact.
     */
    private static final DateTimeFormatter INSTANT_TEXT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Instant FIRST_TEXT_INSTANT = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST_TEXT_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    static final String LINK_COLUMNS =
            "id, flow, webcrm_id, customcrm_id, base, webcrm_hash, customcrm_hash, state, updated_at";
    private static final String OBSERVED_COLUMNS = "flow, side, record_id, properties, modified_at, deleted, "
            + "match_key, stamp, status, reason, attempts, next_attempt_at, observed_at";
    private static final String CONFLICT_COLUMNS = "id, flow, link_id, fields, webcrm_values, customcrm_values, "
            + "policy, detected_at, resolved_at, resolved_by";
    static final String HISTORY_COLUMNS = "link_id, flow, at, origin, action, detail, changes";

    private StoreStatements() {
    }

    // ---------------------------------------------------------------- links

    static Optional<Link> link(Handle h, String linkId) {
        return h.createQuery("SELECT " + LINK_COLUMNS + " FROM links WHERE id = :id")
                .bind("id", linkId)
                .map(StoreStatements::link)
                .findOne();
    }

    static Optional<Link> linkOf(Handle h, Flow flow, Side side, String recordId) {
        return h.createQuery("SELECT " + LINK_COLUMNS + " FROM links WHERE flow = :flow AND " + idColumn(side)
                        + " = :recordId")
                .bind("flow", flow.name())
                .bind("recordId", recordId)
                .map(StoreStatements::link)
                .findOne();
    }

    static Map<String, Link> linksOf(Handle h, Flow flow, Side side, Collection<String> recordIds) {
        Map<String, Link> found = new HashMap<>();
        forChunks(recordIds, chunk -> h.createQuery("SELECT " + LINK_COLUMNS + " FROM links WHERE flow = :flow AND "
                        + idColumn(side) + " IN (<ids>)")
                .bind("flow", flow.name())
                .bindList("ids", chunk)
                .map(StoreStatements::link)
                .forEach(link -> found.put(link.idOn(side), link)));
        return found;
    }

    static void saveLink(Handle h, Link link) {
        // The unique constraints would refuse a second claim on a record anyway; asking first gives a message that
        // names the link already holding it, and works the same on every database (PostgreSQL aborts the whole
        // transaction on a constraint error, so asking afterwards would not be possible there).
        for (Side side : Side.values()) {
            String recordId = link.idOn(side);
            if (recordId != null) {
                linkOf(h, link.flow(), side, recordId)
                        .filter(holder -> !holder.id().equals(link.id()))
                        .ifPresent(holder -> {
                            throw new IllegalStateException("link " + link.id() + " claims " + side.label() + " "
                                    + link.flow().entityOn(side) + " " + recordId + ", which link " + holder.id()
                                    + " already holds");
                        });
            }
        }
        // created_seq and created_at are set on the first save only: they record when the link came to be.
        h.createUpdate("""
                        INSERT INTO links (id, flow, webcrm_id, customcrm_id, base, webcrm_hash, customcrm_hash, state,
                                           created_seq, created_at, updated_at)
                        VALUES (:id, :flow, :webcrmId, :customcrmId, :base, :webcrmHash, :customcrmHash, :state,
                                (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM links), :updatedAt, :updatedAt)
                        ON CONFLICT (id) DO UPDATE SET
                            flow = excluded.flow,
                            webcrm_id = excluded.webcrm_id,
                            customcrm_id = excluded.customcrm_id,
                            base = excluded.base,
                            webcrm_hash = excluded.webcrm_hash,
                            customcrm_hash = excluded.customcrm_hash,
                            state = excluded.state,
                            updated_at = excluded.updated_at""")
                .bind("id", link.id())
                .bind("flow", link.flow().name())
                .bind("webcrmId", link.webcrmId())
                .bind("customcrmId", link.customcrmId())
                .bind("base", FieldValuesCodec.encode(link.base()))
                .bind("webcrmHash", link.webcrmHash())
                .bind("customcrmHash", link.customcrmHash())
                .bind("state", link.state().name())
                .bind("updatedAt", text(link.updatedAt()))
                .execute();
    }

    static long countLinks(Handle h, Flow flow, LinkState state) {
        // Conditions are added only when asked for: "(:flow IS NULL OR flow = :flow)" leaves PostgreSQL unable to
        // type the parameter, and a plain condition lets the index work.
        List<String> conditions = new ArrayList<>();
        if (flow != null) {
            conditions.add("flow = :flow");
        }
        if (state != null) {
            conditions.add("state = :state");
        }
        Query query = h.createQuery("SELECT COUNT(*) FROM links" + where(conditions));
        if (flow != null) {
            query.bind("flow", flow.name());
        }
        if (state != null) {
            query.bind("state", state.name());
        }
        return query.mapTo(Long.class).one();
    }

    static List<Link> links(Handle h, Flow flow, int offset, int limit) {
        requirePage(offset, limit);
        Query query = h.createQuery("SELECT " + LINK_COLUMNS + " FROM links"
                + (flow == null ? "" : " WHERE flow = :flow")
                + " ORDER BY created_seq, id LIMIT :limit OFFSET :offset");
        if (flow != null) {
            query.bind("flow", flow.name());
        }
        return query.bind("limit", limit).bind("offset", offset).map(StoreStatements::link).list();
    }

    static Link link(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Link(
                rs.getString("id"),
                Flow.valueOf(rs.getString("flow")),
                rs.getString("webcrm_id"),
                rs.getString("customcrm_id"),
                FieldValuesCodec.decode(rs.getString("base")),
                rs.getString("webcrm_hash"),
                rs.getString("customcrm_hash"),
                LinkState.valueOf(rs.getString("state")),
                instant(rs.getString("updated_at")));
    }

    private static String idColumn(Side side) {
        return side == Side.WEBCRM ? "webcrm_id" : "customcrm_id";
    }

    // ---------------------------------------------------------------- observed records

    static void observe(Handle h, List<ObservedRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO observed_records (" + OBSERVED_COLUMNS + " " + """
                )
                VALUES (:flow, :side, :recordId, :properties, :modifiedAt, :deleted, :matchKey, :stamp, :status,
                        :reason, :attempts, :nextAttemptAt, :observedAt)
                ON CONFLICT (flow, side, record_id) DO UPDATE SET
                    properties = excluded.properties,
                    modified_at = excluded.modified_at,
                    deleted = excluded.deleted,
                    match_key = excluded.match_key,
                    stamp = excluded.stamp,
                    status = excluded.status,
                    reason = excluded.reason,
                    attempts = excluded.attempts,
                    next_attempt_at = excluded.next_attempt_at,
                    observed_at = excluded.observed_at""");
        for (ObservedRecord observed : records) {
            SideRecord record = observed.record();
            batch.bind("flow", record.flow().name())
                    .bind("side", record.side().name())
                    .bind("recordId", record.id())
                    .bind("properties", JsonColumns.encodeProperties(record.properties()))
                    .bind("modifiedAt", text(record.modifiedAt()))
                    .bind("deleted", record.deleted())
                    .bind("matchKey", observed.matchKey())
                    .bind("stamp", observed.stamp())
                    .bind("status", observed.status().name())
                    .bind("reason", observed.reason())
                    .bind("attempts", observed.attempts())
                    .bind("nextAttemptAt", text(observed.nextAttemptAt()))
                    .bind("observedAt", text(observed.observedAt()))
                    .add();
        }
        batch.execute();
    }

    static Optional<ObservedRecord> observed(Handle h, Flow flow, Side side, String recordId) {
        return h.createQuery("SELECT " + OBSERVED_COLUMNS + " " + """
                         FROM observed_records WHERE flow = :flow AND side = :side AND record_id = :recordId""")
                .bind("flow", flow.name())
                .bind("side", side.name())
                .bind("recordId", recordId)
                .map(StoreStatements::observed)
                .findOne();
    }

    /** Ids per query: far below SQLite's limit on bound parameters, and one page of any system fits twice. */
    private static final int IDS_PER_QUERY = 500;

    static Map<String, ObservedRecord> observed(Handle h, Flow flow, Side side, Collection<String> recordIds) {
        Map<String, ObservedRecord> found = new HashMap<>();
        forChunks(recordIds, chunk -> h.createQuery("SELECT " + OBSERVED_COLUMNS + " " + """
                         FROM observed_records
                        WHERE flow = :flow AND side = :side AND record_id IN (<ids>)""")
                .bind("flow", flow.name())
                .bind("side", side.name())
                .bindList("ids", chunk)
                .map(StoreStatements::observed)
                .forEach(record -> found.put(record.id(), record)));
        return found;
    }

    /** Hands distinct values to {@code query} a query's worth at a time; nothing for no values. */
    private static void forChunks(Collection<String> values, Consumer<List<String>> query) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(values));
        for (int from = 0; from < distinct.size(); from += IDS_PER_QUERY) {
            query.accept(distinct.subList(from, Math.min(distinct.size(), from + IDS_PER_QUERY)));
        }
    }

    static int retryNow(Handle h) {
        return h.createUpdate("UPDATE observed_records SET next_attempt_at = NULL "
                        + "WHERE status = :dirty AND next_attempt_at IS NOT NULL")
                .bind("dirty", RecordStatus.DIRTY.name())
                .execute();
    }

    static List<ObservedRecord> due(Handle h, Flow flow, Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        requirePage(0, limit);
        return h.createQuery("SELECT " + OBSERVED_COLUMNS + " " + """
                         FROM observed_records
                        WHERE flow = :flow
                          AND status IN (:dirty, :waiting)
                          AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
                        ORDER BY observed_at, side, record_id
                        LIMIT :limit""")
                .bind("flow", flow.name())
                .bind("dirty", RecordStatus.DIRTY.name())
                .bind("waiting", RecordStatus.WAITING.name())
                .bind("now", text(now))
                .bind("limit", limit)
                .map(StoreStatements::observed)
                .list();
    }

    static List<ObservedRecord> byMatchKey(Handle h, Flow flow, Side side, String matchKey) {
        return byMatchKeys(h, flow, side, List.of(matchKey)).getOrDefault(matchKey, List.of());
    }

    static Map<String, List<ObservedRecord>> byMatchKeys(Handle h, Flow flow, Side side, Collection<String> keys) {
        Map<String, List<ObservedRecord>> found = new HashMap<>();
        forChunks(keys, chunk -> h.createQuery("SELECT " + OBSERVED_COLUMNS + " " + """
                         FROM observed_records
                        WHERE flow = :flow AND side = :side AND match_key IN (<keys>) AND deleted = :deleted
                        ORDER BY record_id""")
                .bind("flow", flow.name())
                .bind("side", side.name())
                .bindList("keys", chunk)
                .bind("deleted", false)
                .map(StoreStatements::observed)
                .forEach(record -> found.computeIfAbsent(record.matchKey(), k -> new ArrayList<>()).add(record)));
        return found;
    }

    static List<String> observedIds(Handle h, Flow flow, Side side) {
        return h.createQuery("""
                        SELECT record_id FROM observed_records
                         WHERE flow = :flow AND side = :side AND deleted = :deleted
                         ORDER BY record_id""")
                .bind("flow", flow.name())
                .bind("side", side.name())
                .bind("deleted", false)
                .mapTo(String.class)
                .list();
    }

    static List<ObservedRecord> withStatus(Handle h, RecordStatus status) {
        return h.createQuery("SELECT " + OBSERVED_COLUMNS + " " + """
                         FROM observed_records WHERE status = :status
                        ORDER BY observed_at, flow, side, record_id""")
                .bind("status", status.name())
                .map(StoreStatements::observed)
                .list();
    }

    private static ObservedRecord observed(ResultSet rs, StatementContext ctx) throws SQLException {
        SideRecord record = new SideRecord(
                Side.valueOf(rs.getString("side")),
                Flow.valueOf(rs.getString("flow")),
                rs.getString("record_id"),
                JsonColumns.decodeProperties(rs.getString("properties")),
                instant(rs.getString("modified_at")),
                rs.getBoolean("deleted"));
        return new ObservedRecord(
                record,
                rs.getString("match_key"),
                rs.getString("stamp"),
                RecordStatus.valueOf(rs.getString("status")),
                rs.getString("reason"),
                rs.getInt("attempts"),
                instant(rs.getString("next_attempt_at")),
                instant(rs.getString("observed_at")));
    }

    // ---------------------------------------------------------------- cursors

    static Optional<String> cursor(Handle h, Flow flow, Side side) {
        return h.createQuery("SELECT cursor FROM cursors WHERE flow = :flow AND side = :side")
                .bind("flow", flow.name())
                .bind("side", side.name())
                .mapTo(String.class)
                .findOne();
    }

    static void saveCursor(Handle h, Flow flow, Side side, String cursor) {
        Objects.requireNonNull(cursor, "cursor");
        h.createUpdate("""
                        INSERT INTO cursors (flow, side, cursor) VALUES (:flow, :side, :cursor)
                        ON CONFLICT (flow, side) DO UPDATE SET cursor = excluded.cursor""")
                .bind("flow", flow.name())
                .bind("side", side.name())
                .bind("cursor", cursor)
                .execute();
    }

    // ---------------------------------------------------------------- held removals

    static void holdRemovals(Handle h, Flow flow, List<HeldRemoval> removals) {
        Map<String, HeldRemoval> before = new HashMap<>();
        heldRemovals(h, flow).forEach(r -> before.put(r.linkId(), r));
        h.createUpdate("DELETE FROM held_removals WHERE flow = :flow").bind("flow", flow.name()).execute();
        for (HeldRemoval removal : removals) {
            HeldRemoval known = before.get(removal.linkId());
            saveHeldRemoval(h, known == null ? removal : new HeldRemoval(flow, removal.linkId(), removal.seenOn(),
                    removal.recordId(), removal.summary(), known.heldAt(), known.accepted()));
        }
    }

    private static void saveHeldRemoval(Handle h, HeldRemoval removal) {
        h.createUpdate("""
                        INSERT INTO held_removals (flow, link_id, seen_on, record_id, summary, held_at, accepted)
                        VALUES (:flow, :link, :seenOn, :record, :summary, :heldAt, :accepted)""")
                .bind("flow", removal.flow().name())
                .bind("link", removal.linkId())
                .bind("seenOn", removal.seenOn().name())
                .bind("record", removal.recordId())
                .bind("summary", removal.summary())
                .bind("heldAt", text(removal.heldAt()))
                .bind("accepted", removal.accepted())
                .execute();
    }

    static List<HeldRemoval> acceptHeldRemovals(Handle h, Flow flow) {
        Update update = h.createUpdate("UPDATE held_removals SET accepted = :accepted"
                + (flow == null ? "" : " WHERE flow = :flow"));
        if (flow != null) {
            update.bind("flow", flow.name());
        }
        update.bind("accepted", true).execute();
        return heldRemovals(h, flow);
    }

    static List<HeldRemoval> heldRemovals(Handle h, Flow flow) {
        Query query = h.createQuery("SELECT flow, link_id, seen_on, record_id, summary, held_at, accepted "
                + "FROM held_removals" + (flow == null ? "" : " WHERE flow = :flow")
                + " ORDER BY flow, seen_on, held_at, link_id");
        if (flow != null) {
            query.bind("flow", flow.name());
        }
        return query.map((rs, ctx) -> new HeldRemoval(Flow.valueOf(rs.getString("flow")), rs.getString("link_id"),
                        Side.valueOf(rs.getString("seen_on")), rs.getString("record_id"), rs.getString("summary"),
                        instant(rs.getString("held_at")), rs.getBoolean("accepted")))
                .list();
    }

    // ---------------------------------------------------------------- outbox

    static void addIntent(Handle h, CreateIntent intent) {
        // Writing the same intent again (a retried step) keeps the first one and its time: it is when the create
        // may first have been sent that matters when looking for the record later.
        h.createUpdate("""
                        INSERT INTO outbox (link_id, target, flow, created_at)
                        VALUES (:linkId, :target, :flow, :createdAt)
                        ON CONFLICT (link_id, target) DO NOTHING""")
                .bind("linkId", intent.linkId())
                .bind("target", intent.target().name())
                .bind("flow", intent.flow().name())
                .bind("createdAt", text(intent.createdAt()))
                .execute();
    }

    static List<CreateIntent> intents(Handle h) {
        return h.createQuery("SELECT link_id, flow, target, created_at FROM outbox ORDER BY created_at, link_id, target")
                .map((rs, ctx) -> new CreateIntent(
                        rs.getString("link_id"),
                        Flow.valueOf(rs.getString("flow")),
                        Side.valueOf(rs.getString("target")),
                        instant(rs.getString("created_at"))))
                .list();
    }

    static void removeIntent(Handle h, String linkId, Side target) {
        h.createUpdate("DELETE FROM outbox WHERE link_id = :linkId AND target = :target")
                .bind("linkId", linkId)
                .bind("target", target.name())
                .execute();
    }

    static void addPendingUpdates(Handle h, List<PendingUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        // A link planned again after a failed or unrecorded update replaces the row: only the latest values sent
        // can be the target's.
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO pending_updates (link_id, flow, targets, base, written_at)
                VALUES (:linkId, :flow, :targets, :base, :writtenAt)
                ON CONFLICT (link_id) DO UPDATE SET
                    flow = excluded.flow,
                    targets = excluded.targets,
                    base = excluded.base,
                    written_at = excluded.written_at""");
        for (PendingUpdate update : updates) {
            batch.bind("linkId", update.linkId())
                    .bind("flow", update.flow().name())
                    .bind("targets", String.join(",", update.targets().stream().map(Side::name).sorted().toList()))
                    .bind("base", FieldValuesCodec.encode(update.values()))
                    .bind("writtenAt", text(update.writtenAt()))
                    .add();
        }
        batch.execute();
    }

    static Map<String, PendingUpdate> pendingUpdates(Handle h, Flow flow) {
        Map<String, PendingUpdate> pending = new HashMap<>();
        h.createQuery("SELECT link_id, flow, targets, base, written_at FROM pending_updates WHERE flow = :flow")
                .bind("flow", flow.name())
                .map((rs, ctx) -> new PendingUpdate(
                        rs.getString("link_id"),
                        Flow.valueOf(rs.getString("flow")),
                        Arrays.stream(rs.getString("targets").split(",")).map(Side::valueOf)
                                .collect(Collectors.toSet()),
                        FieldValuesCodec.decode(rs.getString("base")),
                        instant(rs.getString("written_at"))))
                .forEach(update -> pending.put(update.linkId(), update));
        return pending;
    }

    static void removePendingUpdates(Handle h, Collection<String> linkIds) {
        forChunks(linkIds, chunk -> h.createUpdate("DELETE FROM pending_updates WHERE link_id IN (<ids>)")
                .bindList("ids", chunk)
                .execute());
    }

    // ---------------------------------------------------------------- claims

    static long claim(Handle h, String owner, Instant at) {
        return h.createQuery("""
                        INSERT INTO store_claim (id, epoch, owner, claimed_at) VALUES (1, 1, :owner, :at)
                        ON CONFLICT (id) DO UPDATE SET
                            epoch = store_claim.epoch + 1,
                            owner = excluded.owner,
                            claimed_at = excluded.claimed_at
                        RETURNING epoch""")
                .bind("owner", owner)
                .bind("at", text(at))
                .mapTo(Long.class)
                .one();
    }

    /**
     * Touches the claim on condition that its epoch is still {@code epoch}: the row lock it takes holds a take-over
     * back until the transaction ends.
     *
     * @return whether the claim is still {@code epoch}'s
     */
    static boolean holdClaim(Handle h, long epoch) {
        return h.createUpdate("UPDATE store_claim SET epoch = epoch WHERE id = 1 AND epoch = :epoch")
                .bind("epoch", epoch)
                .execute() == 1;
    }

    static Optional<Long> claimEpoch(Handle h) {
        return h.createQuery("SELECT epoch FROM store_claim WHERE id = 1").mapTo(Long.class).findOne();
    }

    // ---------------------------------------------------------------- conflicts

    static void saveConflict(Handle h, Conflict conflict) {
        // Newest-first order needs a time on every row; NULLs would sort first on one database and last on another.
        Objects.requireNonNull(conflict.detectedAt(), "conflict detectedAt");
        h.createUpdate("INSERT INTO conflicts (" + CONFLICT_COLUMNS + " " + """
                        )
                        VALUES (:id, :flow, :linkId, :fields, :webcrmValues, :customcrmValues, :policy, :detectedAt,
                                :resolvedAt, :resolvedBy)
                        ON CONFLICT (id) DO UPDATE SET
                            flow = excluded.flow,
                            link_id = excluded.link_id,
                            fields = excluded.fields,
                            webcrm_values = excluded.webcrm_values,
                            customcrm_values = excluded.customcrm_values,
                            policy = excluded.policy,
                            detected_at = excluded.detected_at,
                            resolved_at = excluded.resolved_at,
                            resolved_by = excluded.resolved_by""")
                .bind("id", conflict.id())
                .bind("flow", conflict.flow().name())
                .bind("linkId", conflict.linkId())
                .bind("fields", JsonColumns.encodeFields(conflict.fields()))
                .bind("webcrmValues", JsonColumns.encodeValues(conflict.webcrmValues()))
                .bind("customcrmValues", JsonColumns.encodeValues(conflict.customcrmValues()))
                .bind("policy", conflict.policy())
                .bind("detectedAt", text(conflict.detectedAt()))
                .bind("resolvedAt", text(conflict.resolvedAt()))
                .bind("resolvedBy", conflict.resolvedBy())
                .execute();
    }

    static List<Conflict> conflicts(Handle h, boolean openOnly) {
        return h.createQuery("SELECT " + CONFLICT_COLUMNS + " FROM conflicts"
                        + (openOnly ? " WHERE resolved_at IS NULL" : "")
                        + " ORDER BY detected_at DESC, id DESC")
                .map(StoreStatements::conflict)
                .list();
    }

    static Optional<Conflict> openConflictOf(Handle h, String linkId) {
        // The engine keeps at most one open conflict per link; should there be more, the newest is the one to show.
        return h.createQuery("SELECT " + CONFLICT_COLUMNS + " " + """
                         FROM conflicts WHERE link_id = :linkId AND resolved_at IS NULL
                        ORDER BY detected_at DESC, id DESC
                        LIMIT 1""")
                .bind("linkId", linkId)
                .map(StoreStatements::conflict)
                .findOne();
    }

    private static Conflict conflict(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Conflict(
                rs.getString("id"),
                Flow.valueOf(rs.getString("flow")),
                rs.getString("link_id"),
                JsonColumns.decodeFields(rs.getString("fields")),
                JsonColumns.decodeValues(rs.getString("webcrm_values")),
                JsonColumns.decodeValues(rs.getString("customcrm_values")),
                rs.getString("policy"),
                instant(rs.getString("detected_at")),
                instant(rs.getString("resolved_at")),
                rs.getString("resolved_by"));
    }

    // ---------------------------------------------------------------- history

    static void appendHistory(Handle h, HistoryEntry entry) {
        Objects.requireNonNull(entry.linkId(), "history entry linkId");
        Objects.requireNonNull(entry.flow(), "history entry flow");
        Objects.requireNonNull(entry.at(), "history entry at");
        Objects.requireNonNull(entry.action(), "history entry action");
        // seq counts per link: append order is history order even when two entries share a time, and writers of
        // different links never compete for the same number.
        h.createUpdate("""
                        INSERT INTO history (link_id, seq, flow, at, origin, action, detail, changes)
                        VALUES (:linkId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM history WHERE link_id = :linkId),
                                :flow, :at, :origin, :action, :detail, :changes)""")
                .bind("linkId", entry.linkId())
                .bind("flow", entry.flow().name())
                .bind("at", text(entry.at()))
                .bind("origin", entry.origin() == null ? null : entry.origin().name())
                .bind("action", entry.action())
                .bind("detail", entry.detail())
                .bind("changes", JsonColumns.encodeChanges(entry.changes()))
                .execute();
    }

    static long countHistory(Handle h, Flow flow, Collection<String> actions, Instant since) {
        if (actions.isEmpty()) {
            return 0;
        }
        return h.createQuery("SELECT COUNT(*) FROM history WHERE flow = :flow AND at >= :since AND action IN (<actions>)")
                .bind("flow", flow.name())
                .bind("since", text(since))
                .bindList("actions", List.copyOf(actions))
                .mapTo(Long.class)
                .one();
    }

    static List<HistoryEntry> history(Handle h, String linkId) {
        return h.createQuery("SELECT " + HISTORY_COLUMNS + " FROM history WHERE link_id = :linkId ORDER BY seq")
                .bind("linkId", linkId)
                .map(StoreStatements::historyEntry)
                .list();
    }

    static HistoryEntry historyEntry(ResultSet rs, StatementContext ctx) throws SQLException {
        String origin = rs.getString("origin");
        return new HistoryEntry(
                rs.getString("link_id"),
                Flow.valueOf(rs.getString("flow")),
                instant(rs.getString("at")),
                origin == null ? null : Side.valueOf(origin),
                rs.getString("action"),
                rs.getString("detail"),
                JsonColumns.decodeChanges(rs.getString("changes")));
    }

    // ---------------------------------------------------------------- columns

    /**
     * @param instant an instant in the years 0000 to 9999, or null
     * @return its fixed-width UTC text, e.g. {@code 2024-05-01T10:15:30.123456789Z}, or null
     * @throws IllegalArgumentException outside those years, where the text would no longer sort as time does
     */
    static String text(Instant instant) {
        if (instant == null) {
            return null;
        }
        if (instant.isBefore(FIRST_TEXT_INSTANT) || instant.isAfter(LAST_TEXT_INSTANT)) {
            throw new IllegalArgumentException("the store keeps instants from year 0000 to 9999, not " + instant);
        }
        return INSTANT_TEXT.format(instant);
    }

    /**
     * @param text text made by {@link #text(Instant)}, or null
     * @return the instant, or null
     */
    static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    static void requirePage(int offset, int limit) {
        // SQLite reads a negative LIMIT as "no limit"; refuse it rather than return everything.
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
    }
}
