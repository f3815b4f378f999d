package dev.crmsync.app.simulate.customcrm;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * The SQL of the {@code records}, {@code external_ids} and {@code counters} tables. It enforces no rules of its
 * own; {@link CustomcrmRecords} decides what to write, inside the transaction it passes in as a {@link Handle}.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class RecordStore {

    private static final String COLUMNS = "type, id, version, change_seq, deleted, created_at, updated_at, data";

    private RecordStore() {
    }

    /**
     * @return the record, live or tombstone
     */
    static Optional<StoredRecord> find(Handle h, RecordType type, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM records WHERE type = :type AND id = :id")
                .bind("type", type.path()).bind("id", id)
                .map(RecordStore::toRecord).findOne();
    }

    /**
     * @return the id of the live record of {@code type} whose external id {@code key} is {@code value}
     */
    static Optional<String> externalIdHolder(Handle h, RecordType type, String key, String value) {
        return h.createQuery("SELECT record_id FROM external_ids WHERE type = :type AND ext_key = :key "
                        + "AND ext_value = :value")
                .bind("type", type.path()).bind("key", key).bind("value", value)
                .mapTo(String.class).findOne();
    }

    /**
     * @param afterChange the change number to start after; 0 for the beginning
     * @param limit       most records to return
     * @return records of {@code type} whose latest change is after {@code afterChange}, in change order
     */
    static List<StoredRecord> changesAfter(Handle h, RecordType type, long afterChange, int limit) {
        return h.createQuery("SELECT " + COLUMNS + " FROM records WHERE type = :type AND change_seq > :after "
                        + "ORDER BY change_seq LIMIT :limit")
                .bind("type", type.path()).bind("after", afterChange).bind("limit", limit)
                .map(RecordStore::toRecord).list();
    }

    /**
     * Counts a sequence on and returns its new value; the increment is undone with the transaction.
     *
     * @param counter {@code change} or a type's path
     * @return the next number, from 1
     */
    static long next(Handle h, String counter) {
        return h.createQuery("UPDATE counters SET value = value + 1 WHERE name = :name RETURNING value")
                .bind("name", counter).mapTo(Long.class).one();
    }

    /**
     * @param counter {@code change} or a type's path
     * @return the last number handed out, 0 when none was
     */
    static long current(Handle h, String counter) {
        return h.createQuery("SELECT value FROM counters WHERE name = :name")
                .bind("name", counter).mapTo(Long.class).one();
    }

    /**
     * Writes a new or changed record, and indexes its external ids while it is live.
     */
    static void save(Handle h, StoredRecord record) {
        h.createUpdate("""
                        INSERT INTO records (type, id, version, change_seq, deleted, created_at, updated_at,
                                             customer_id, contact_id, data)
                        VALUES (:type, :id, :version, :changeSeq, :deleted, :createdAt, :updatedAt,
                                :customerId, :contactId, :data)
                        ON CONFLICT (type, id) DO UPDATE SET
                            version = excluded.version, change_seq = excluded.change_seq,
                            deleted = excluded.deleted, updated_at = excluded.updated_at,
                            customer_id = excluded.customer_id, contact_id = excluded.contact_id,
                            data = excluded.data""")
                .bind("type", record.type().path())
                .bind("id", record.id())
                .bind("version", record.version())
                .bind("changeSeq", record.changeSeq())
                .bind("deleted", record.deleted() ? 1 : 0)
                .bind("createdAt", CustomcrmJson.timestamp(record.createdAt()))
                .bind("updatedAt", CustomcrmJson.timestamp(record.updatedAt()))
                .bind("customerId", record.data().path("customer_id").stringValue(null))
                .bind("contactId", record.data().path("contact_id").stringValue(null))
                .bind("data", CustomcrmJson.MAPPER.writeValueAsString(record.data()))
                .execute();
        h.createUpdate("DELETE FROM external_ids WHERE type = :type AND record_id = :id")
                .bind("type", record.type().path()).bind("id", record.id()).execute();
        if (!record.deleted()) {
            record.externalIds().forEach((key, value) -> h.createUpdate(
                            "INSERT INTO external_ids (type, ext_key, ext_value, record_id) "
                                    + "VALUES (:type, :key, :value, :id)")
                    .bind("type", record.type().path()).bind("key", key).bind("value", value)
                    .bind("id", record.id()).execute());
        }
    }

    /**
     * @return how many live records of each type (by path) refer to the record; empty when none does
     */
    static Map<String, Long> referrers(Handle h, RecordType type, String id) {
        Map<String, Long> counts = new LinkedHashMap<>();
        // The column name comes from the enum, never from a request.
        type.referenceField().ifPresent(column -> h.createQuery("SELECT type, COUNT(*) AS n FROM records "
                        + "WHERE deleted = 0 AND " + column + " = :id GROUP BY type ORDER BY type")
                .bind("id", id)
                .map((rs, ctx) -> Map.entry(rs.getString("type"), rs.getLong("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    /**
     * @return how many records of the type exist, tombstones left out
     */
    static int countLive(Handle h, RecordType type) {
        return h.createQuery("SELECT COUNT(*) FROM records WHERE type = :type AND deleted = 0")
                .bind("type", type.path()).mapTo(Integer.class).one();
    }

    /**
     * @return true when the database holds no record at all, not even a tombstone
     */
    static boolean isEmpty(Handle h) {
        return h.createQuery("SELECT NOT EXISTS (SELECT 1 FROM records)").mapTo(Boolean.class).one();
    }

    private static StoredRecord toRecord(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StoredRecord(
                RecordType.fromPath(rs.getString("type")),
                rs.getString("id"),
                rs.getLong("version"),
                rs.getLong("change_seq"),
                rs.getInt("deleted") != 0,
                Instant.parse(rs.getString("created_at")),
                Instant.parse(rs.getString("updated_at")),
                (ObjectNode) CustomcrmJson.MAPPER.readTree(rs.getString("data")));
    }
}
