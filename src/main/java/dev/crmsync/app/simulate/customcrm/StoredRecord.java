package dev.crmsync.app.simulate.customcrm;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One record as the database holds it: the server-set fields, and {@code data} with the client fields and
 * {@code external_ids}. A tombstone keeps its last data, but shows only its id, version, time and external ids.
 *
 * <p>Instances are values; {@code data} must not be modified once the record is made.
 *
 * @param type      the record type
 * @param id        the record's id
 * @param version   1 on create, +1 on every change
 * @param changeSeq position of the latest change in the change feed
 * @param deleted   whether this is a tombstone
 * @param createdAt when the record was created
 * @param updatedAt when it last changed
 * @param data      the client fields and {@code external_ids}, already validated
 */
record StoredRecord(RecordType type, String id, long version, long changeSeq, boolean deleted, Instant createdAt,
                    Instant updatedAt, ObjectNode data) {

    static final String EXTERNAL_IDS = "external_ids";

    /**
     * @return a new record at version 1
     */
    static StoredRecord created(RecordType type, String id, long changeSeq, Instant now, ObjectNode data) {
        return new StoredRecord(type, id, 1, changeSeq, false, now, now, data);
    }

    /**
     * @return this record with new data, one version on
     */
    StoredRecord changed(ObjectNode newData, long newChangeSeq, Instant now) {
        return new StoredRecord(type, id, version + 1, newChangeSeq, false, createdAt, now, newData);
    }

    /**
     * @return this record as a tombstone, one version on
     */
    StoredRecord tombstone(long newChangeSeq, Instant now) {
        return new StoredRecord(type, id, version + 1, newChangeSeq, true, createdAt, now, data);
    }

    /**
     * @return the external ids, key to value
     */
    Map<String, String> externalIds() {
        Map<String, String> ids = new LinkedHashMap<>();
        data.path(EXTERNAL_IDS).properties().forEach(e -> ids.put(e.getKey(), e.getValue().asString()));
        return ids;
    }

    /**
     * @return the record as the contract shows it: server fields first, then the client fields; a tombstone only
     *         as {@code id, deleted, version, updated_at, external_ids}
     */
    ObjectNode toJson() {
        ObjectNode out = CustomcrmJson.MAPPER.createObjectNode();
        out.put("id", id);
        out.put("deleted", deleted);
        out.put("version", version);
        if (!deleted) {
            out.put("created_at", CustomcrmJson.timestamp(createdAt));
        }
        out.put("updated_at", CustomcrmJson.timestamp(updatedAt));
        out.set(EXTERNAL_IDS, data.path(EXTERNAL_IDS).deepCopy());
        if (!deleted) {
            data.forEachEntry((name, value) -> {
                if (!name.equals(EXTERNAL_IDS)) {
                    out.set(name, value.deepCopy());
                }
            });
        }
        return out;
    }
}
