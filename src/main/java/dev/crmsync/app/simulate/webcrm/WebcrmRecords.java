package dev.crmsync.app.simulate.webcrm;

import java.time.InstantSource;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The simulated tenant's data: organisations, persons and products in memory, by id. Every write is validated
 * ({@link WebcrmValidator}) and stamped here, under one lock, so a link checked during validation cannot vanish
 * before the write lands.
 *
 * <p>Ids are handed out from 1 upwards per entity and never reused, as a database identity column does. Reads
 * return copies, so callers may keep them.
 *
 * <p>This class is threadsafe.
 */
final class WebcrmRecords implements WebcrmValidator.Existence {

    /** Told of each change once it is stored, with the lock still held; it must not block. */
    @FunctionalInterface
    interface ChangeListener {
        /**
         * @param entity the record kind
         * @param event  what happened
         * @param id     the record's id
         */
        void changed(WebcrmEntity entity, WebcrmHookEvent event, int id);
    }

    private final InstantSource clock;
    private final Map<WebcrmEntity, TreeMap<Integer, Map<String, Object>>> tables = new EnumMap<>(WebcrmEntity.class);
    private final Map<WebcrmEntity, Integer> lastIds = new EnumMap<>(WebcrmEntity.class);
    private volatile ChangeListener listener = (entity, event, id) -> { };

    /**
     * @param clock where the created and updated stamps come from
     */
    WebcrmRecords(InstantSource clock) {
        this.clock = clock;
        for (WebcrmEntity entity : WebcrmEntity.values()) {
            tables.put(entity, new TreeMap<>());
            lastIds.put(entity, 0);
        }
    }

    /**
     * @param changes told of every create, update and delete from now on (not of seeding with history)
     */
    void onChange(ChangeListener changes) {
        this.listener = changes;
    }

    /**
     * @param entity the record kind
     * @param dto    the DTO to insert; its id is ignored
     * @param author who writes, for the created and updated by stamps
     * @return the new id
     * @throws WebcrmApiException a 400 when the DTO is invalid
     */
    synchronized int create(WebcrmEntity entity, JsonNode dto, String author) {
        LocalDateTime now = WebcrmTimestamps.now(clock);
        int id = insert(entity, WebcrmValidator.validate(entity, dto, null, this), now, now, author);
        listener.changed(entity, WebcrmHookEvent.CREATE, id);
        return id;
    }

    /**
     * Inserts a record with given stamps, for seeding a tenant with history.
     *
     * @param entity    the record kind
     * @param dto       the DTO to insert
     * @param createdAt the created stamp
     * @param updatedAt the updated stamp
     * @param author    who created it
     * @return the new id
     */
    synchronized int createWithHistory(WebcrmEntity entity, JsonNode dto, LocalDateTime createdAt,
                                       LocalDateTime updatedAt, String author) {
        return insert(entity, WebcrmValidator.validate(entity, dto, null, this), createdAt, updatedAt, author);
    }

    /**
     * Checks a DTO as {@link #create} (id 0) or {@link #replace} would, without writing anything.
     *
     * @param entity the record kind
     * @param id     0 to check a create, else the id of the record to replace
     * @param dto    the DTO
     * @throws WebcrmApiException a 404 for an unknown id, a 400 when the DTO is invalid
     */
    synchronized void check(WebcrmEntity entity, int id, JsonNode dto) {
        Map<String, Object> previous = id == 0 ? null : table(entity).get(id);
        if (id != 0 && previous == null) {
            throw WebcrmApiException.notFound(entity, id);
        }
        WebcrmValidator.validate(entity, dto, previous, this);
    }

    /**
     * Replaces a record with the DTO: properties the DTO leaves out become null.
     *
     * @param entity the record kind
     * @param id     the record's id; an id in the DTO is ignored
     * @param dto    the whole new record
     * @param author who writes
     * @throws WebcrmApiException a 404 for an unknown id, a 400 when the DTO is invalid
     */
    synchronized void replace(WebcrmEntity entity, int id, JsonNode dto, String author) {
        Map<String, Object> previous = table(entity).get(id);
        if (previous == null) {
            throw WebcrmApiException.notFound(entity, id);
        }
        Map<String, Object> values = WebcrmValidator.validate(entity, dto, previous, this);
        store(entity, id, values, (LocalDateTime) previous.get(entity.field("CreatedAt")),
                (String) previous.get(entity.field("CreatedBy")), WebcrmTimestamps.now(clock), author);
        listener.changed(entity, WebcrmHookEvent.UPDATE, id);
    }

    /**
     * Replaces a record's values but keeps its updated stamps and sends no hook, as a bulk import or a database
     * restore on webCRM's side may: a change no {@code UpdatedAt} query reports.
     *
     * @param entity the record kind
     * @param id     the record's id
     * @param dto    the new values
     * @throws WebcrmApiException a 404 for an unknown id, a 400 when webCRM would refuse the values
     */
    synchronized void replaceUnstamped(WebcrmEntity entity, int id, JsonNode dto) {
        Map<String, Object> previous = table(entity).get(id);
        if (previous == null) {
            throw WebcrmApiException.notFound(entity, id);
        }
        Map<String, Object> values = WebcrmValidator.validate(entity, dto, previous, this);
        store(entity, id, values, (LocalDateTime) previous.get(entity.field("CreatedAt")),
                (String) previous.get(entity.field("CreatedBy")), (LocalDateTime) previous.get(entity.field("UpdatedAt")),
                (String) previous.get(entity.field("UpdatedBy")));
    }

    /**
     * Removes a record. Removing an organisation removes its persons and products as well, and removing a person
     * unlinks its products, so no record is left pointing at nothing.
     *
     * @param entity the record kind
     * @param id     the record's id
     * @param author who deletes, for the updated stamp of unlinked products
     * @throws WebcrmApiException a 404 for an unknown id
     */
    synchronized void delete(WebcrmEntity entity, int id, String author) {
        if (table(entity).remove(id) == null) {
            throw WebcrmApiException.notFound(entity, id);
        }
        listener.changed(entity, WebcrmHookEvent.DELETE, id);
        switch (entity) {
            case ORGANISATION -> {
                removeReferring(WebcrmEntity.PERSON, "PersonOrganisationId", id);
                removeReferring(WebcrmEntity.PRODUCT, "ProductOrganisationId", id);
            }
            case PERSON -> table(WebcrmEntity.PRODUCT).values().stream()
                    .filter(p -> Integer.valueOf(id).equals(p.get("ProductPersonId")))
                    .forEach(p -> {
                        p.put("ProductPersonId", null);
                        p.put("ProductUpdatedAt", WebcrmTimestamps.now(clock));
                        p.put("ProductUpdatedBy", author);
                        listener.changed(WebcrmEntity.PRODUCT, WebcrmHookEvent.UPDATE, (Integer) p.get("ProductId"));
                    });
            case PRODUCT -> {
            }
        }
    }

    /** Removes the records of {@code entity} whose {@code field} names {@code id}; each removal is a delete. */
    private void removeReferring(WebcrmEntity entity, String field, int id) {
        for (Iterator<Map<String, Object>> it = table(entity).values().iterator(); it.hasNext(); ) {
            Map<String, Object> record = it.next();
            if (Integer.valueOf(id).equals(record.get(field))) {
                it.remove();
                listener.changed(entity, WebcrmHookEvent.DELETE, (Integer) record.get(entity.idField()));
            }
        }
    }

    /**
     * @param entity the record kind
     * @param id     the record's id
     * @return a copy of the record, or empty
     */
    synchronized Optional<Map<String, Object>> find(WebcrmEntity entity, int id) {
        return Optional.ofNullable(table(entity).get(id)).map(LinkedHashMap::new);
    }

    /**
     * @param entity the record kind
     * @param filter which records to copy
     * @return copies of the records the filter takes, in id order
     */
    synchronized List<Map<String, Object>> matching(WebcrmEntity entity, Predicate<Map<String, Object>> filter) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> record : table(entity).values()) {
            if (filter.test(record)) {
                out.add(new LinkedHashMap<>(record));
            }
        }
        return out;
    }

    /**
     * @param entity the record kind
     * @return copies of all its records, in id order
     */
    synchronized List<Map<String, Object>> all(WebcrmEntity entity) {
        List<Map<String, Object>> out = new ArrayList<>();
        table(entity).values().forEach(r -> out.add(new LinkedHashMap<>(r)));
        return out;
    }

    @Override
    public synchronized boolean exists(WebcrmEntity entity, int id) {
        return table(entity).containsKey(id);
    }

    private int insert(WebcrmEntity entity, Map<String, Object> values, LocalDateTime createdAt,
                       LocalDateTime updatedAt, String author) {
        int id = lastIds.merge(entity, 1, Integer::sum);
        store(entity, id, values, createdAt, author, updatedAt, author);
        return id;
    }

    private void store(WebcrmEntity entity, int id, Map<String, Object> values, LocalDateTime createdAt,
                       String createdBy, LocalDateTime updatedAt, String updatedBy) {
        Map<String, Object> record = new LinkedHashMap<>(values);
        record.put(entity.idField(), id);
        record.put(entity.field("CreatedAt"), createdAt);
        record.put(entity.field("CreatedBy"), createdBy);
        record.put(entity.field("UpdatedAt"), updatedAt);
        record.put(entity.field("UpdatedBy"), updatedBy);
        table(entity).put(id, record);
    }

    private TreeMap<Integer, Map<String, Object>> table(WebcrmEntity entity) {
        return tables.get(entity);
    }
}
