package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.customcrm.CustomcrmValidator.FieldError;
import dev.crmsync.app.simulate.customcrm.Problem.Type;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The records of the reference server and the rules every change obeys, whether it comes over HTTP or from a
 * test playing one of the customer's own users: validation, live references, unique external ids, versions and
 * {@code If-Match}, idempotent creates, and one feed number per change. Each change is one transaction of the
 * single writer (see {@link CustomcrmDatabase}).
 *
 * <p>Answers are the records as the contract shows them; failures are {@link ProblemException}s.
 *
 * <p>This class is threadsafe.
 */
final class CustomcrmRecords {

    private static final String CHANGE_COUNTER = "change";

    /** Told of each change once it is committed; it must not block. */
    @FunctionalInterface
    interface ChangeListener {
        /**
         * @param record the record after the change, a tombstone after a delete
         * @param event  what happened
         */
        void changed(StoredRecord record, WebhookSubscriptions.Event event);
    }

    private final CustomcrmDatabase db;
    private final InstantSource clock;
    private volatile ChangeListener listener = (record, event) -> { };

    /**
     * @param db    where the records live
     * @param clock the time stamped on changes
     */
    CustomcrmRecords(CustomcrmDatabase db, InstantSource clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * @param changes told of every change from now on, after it is committed
     */
    void onChange(ChangeListener changes) {
        this.listener = changes;
    }

    /**
     * Creates a record; under an {@code idempotencyKey} already used for the same body, answers as the first time.
     *
     * @param idempotencyKey the client's key, or null
     * @return the new record
     */
    ObjectNode create(RecordType type, JsonNode body, String idempotencyKey) {
        StoredRecord[] made = new StoredRecord[1];
        ObjectNode created = db.write(h -> {
            if (idempotencyKey != null) {
                Optional<IdempotencyKeys.Entry> earlier = IdempotencyKeys.find(h, idempotencyKey);
                if (earlier.isPresent()) {
                    if (earlier.get().isRetryOf(type, body)) {
                        return earlier.get().answer();
                    }
                    throw Problem.of(Type.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key " + idempotencyKey
                            + " was already used for a different request").toException();
                }
            }
            String id = type.idPrefix() + RecordStore.next(h, type.path());
            ObjectNode data = checked(h, type, id, body, null);
            StoredRecord record = StoredRecord.created(type, id, RecordStore.next(h, CHANGE_COUNTER), now(), data);
            RecordStore.save(h, record);
            ObjectNode answer = record.toJson();
            if (idempotencyKey != null) {
                IdempotencyKeys.remember(h, idempotencyKey, type, body, answer, record.createdAt());
            }
            made[0] = record;
            return answer;
        });
        // A replayed create made nothing, so it tells nothing.
        if (made[0] != null) {
            listener.changed(made[0], WebhookSubscriptions.Event.CREATED);
        }
        return created;
    }

    /**
     * @return the record, live or tombstone
     */
    Optional<ObjectNode> find(RecordType type, String id) {
        return db.read(h -> RecordStore.find(h, type, id)).map(StoredRecord::toJson);
    }

    /**
     * @return the live record
     * @throws ProblemException 404 when there never was such a record, 410 when it was deleted
     */
    ObjectNode get(RecordType type, String id) {
        return db.read(h -> live(h, type, id, OptionalLong.empty())).toJson();
    }

    /**
     * @return the live record whose external id {@code key} is {@code value}
     * @throws ProblemException 404 when no live record has it
     */
    ObjectNode getByExternalId(RecordType type, String key, String value) {
        return db.read(h -> RecordStore.externalIdHolder(h, type, key, value)
                        .flatMap(id -> RecordStore.find(h, type, id)))
                .map(StoredRecord::toJson)
                .orElseThrow(() -> Problem.of(Type.NOT_FOUND, "no live " + type.singular() + " has the external id "
                        + key + " = " + value).toException());
    }

    /**
     * Replaces the client fields; {@code external_ids} are kept when the body leaves them out.
     *
     * @param ifMatch the version the client last read; empty to write whatever the version
     * @return the record after the write
     */
    ObjectNode replace(RecordType type, String id, JsonNode body, OptionalLong ifMatch) {
        return change(type, id, ifMatch, current -> {
            ObjectNode wanted = (ObjectNode) body.deepCopy();
            if (!wanted.has(StoredRecord.EXTERNAL_IDS)) {
                wanted.set(StoredRecord.EXTERNAL_IDS, current.get(StoredRecord.EXTERNAL_IDS));
            }
            return wanted;
        });
    }

    /**
     * Applies a JSON Merge Patch to the client fields and {@code external_ids}.
     *
     * @param ifMatch the version the client last read; empty to write whatever the version
     * @return the record after the write
     */
    ObjectNode patch(RecordType type, String id, JsonNode patch, OptionalLong ifMatch) {
        return change(type, id, ifMatch, current -> MergePatch.apply(current, patch));
    }

    /**
     * Turns the record into a tombstone, unless live records still refer to it.
     *
     * @param ifMatch the version the client last read; empty to delete whatever the version
     */
    void delete(RecordType type, String id, OptionalLong ifMatch) {
        StoredRecord tombstone = db.write(h -> {
            StoredRecord current = live(h, type, id, ifMatch);
            Map<String, Long> referrers = RecordStore.referrers(h, type, id);
            if (!referrers.isEmpty()) {
                String counts = referrers.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(" and "));
                throw Problem.of(Type.STILL_REFERENCED, type.singular() + " " + id + " is still referred to by "
                        + counts + "; delete or move them first").with("referenced_by", referrers).toException();
            }
            StoredRecord deleted = current.tombstone(RecordStore.next(h, CHANGE_COUNTER), now());
            RecordStore.save(h, deleted);
            return deleted;
        });
        listener.changed(tombstone, WebhookSubscriptions.Event.DELETED);
    }

    /**
     * @return true when the database holds no record, not even a tombstone
     */
    int count(RecordType type) {
        return db.read(h -> RecordStore.countLive(h, type));
    }

    boolean isEmpty() {
        return db.read(RecordStore::isEmpty);
    }

    private ObjectNode change(RecordType type, String id, OptionalLong ifMatch, UnaryOperator<JsonNode> edit) {
        StoredRecord[] changedRecord = new StoredRecord[1];
        ObjectNode answer = db.write(h -> {
            StoredRecord current = live(h, type, id, ifMatch);
            ObjectNode data = checked(h, type, id, edit.apply(current.data()), current.data());
            if (data.equals(current.data())) {
                // Writing back what is there is no change: no new version, nothing in the feed, no echo.
                return current.toJson();
            }
            StoredRecord changed = current.changed(data, RecordStore.next(h, CHANGE_COUNTER), now());
            RecordStore.save(h, changed);
            changedRecord[0] = changed;
            return changed.toJson();
        });
        if (changedRecord[0] != null) {
            listener.changed(changedRecord[0], WebhookSubscriptions.Event.UPDATED);
        }
        return answer;
    }

    private static StoredRecord live(Handle h, RecordType type, String id, OptionalLong ifMatch) {
        StoredRecord current = RecordStore.find(h, type, id).orElseThrow(() ->
                Problem.of(Type.NOT_FOUND, "no " + type.singular() + " has the id " + id).toException());
        if (current.deleted()) {
            throw Problem.of(Type.GONE, type.singular() + " " + id + " was deleted").toException();
        }
        if (ifMatch.isPresent() && ifMatch.getAsLong() != current.version()) {
            throw Problem.of(Type.VERSION_MISMATCH, type.singular() + " " + id + " is at version "
                            + current.version() + ", not " + ifMatch.getAsLong() + "; read it again")
                    .with("current_version", current.version()).toException();
        }
        return current;
    }

    /**
     * Validates what a write wants the record to hold; within the write's transaction, so no check goes stale.
     *
     * @param current the record's fields before the write; null for a create
     */
    private static ObjectNode checked(Handle h, RecordType type, String id, JsonNode wanted, JsonNode current) {
        CustomcrmValidator.Result result = CustomcrmValidator.validate(type, wanted);
        List<FieldError> errors = new ArrayList<>(result.errors());
        for (RecordType target : type.referencedTypes()) {
            String field = target.referenceField().orElseThrow();
            String reference = result.data().path(field).stringValue(null);
            if (reference != null) {
                Optional<StoredRecord> referred = RecordStore.find(h, target, reference);
                if (referred.isEmpty()) {
                    errors.add(new FieldError(field, "no " + target.singular() + " has the id " + reference));
                } else if (referred.get().deleted()) {
                    errors.add(new FieldError(field, target.singular() + " " + reference + " was deleted"));
                }
            }
        }
        if (type == RecordType.PRODUCT && errors.isEmpty()) {
            contactOfAnotherCustomer(h, result.data(), current).ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            String fields = errors.stream().map(FieldError::field).collect(Collectors.joining(", "));
            throw Problem.of(Type.VALIDATION_FAILED, "not valid: " + fields).with("errors", errors).toException();
        }
        result.data().path(StoredRecord.EXTERNAL_IDS).forEachEntry((key, value) ->
                RecordStore.externalIdHolder(h, type, key, value.stringValue())
                        .filter(holder -> !holder.equals(id))
                        .ifPresent(holder -> {
                            throw Problem.of(Type.EXTERNAL_ID_TAKEN, "the external id " + key + " = "
                                    + value.stringValue() + " already belongs to " + type.singular() + " " + holder)
                                    .with("existing_id", holder).toException();
                        }));
        return result.data();
    }

    /**
     * A product's contact must work for the product's customer. The rule is checked when a write sets either
     * reference, not on every write: a contact may move to another customer, and the products it holds must not
     * become unwritable by that move until someone moves them too.
     */
    private static Optional<FieldError> contactOfAnotherCustomer(Handle h, JsonNode product, JsonNode current) {
        String customer = product.path("customer_id").stringValue(null);
        String contact = product.path("contact_id").stringValue(null);
        if (customer == null || contact == null || current != null
                && customer.equals(current.path("customer_id").stringValue(null))
                && contact.equals(current.path("contact_id").stringValue(null))) {
            return Optional.empty();
        }
        String employer = RecordStore.find(h, RecordType.CONTACT, contact)
                .map(c -> c.data().path("customer_id").stringValue(null)).orElse(null);
        if (customer.equals(employer)) {
            return Optional.empty();
        }
        return Optional.of(new FieldError("contact_id", "contact " + contact + " works for "
                + (employer == null ? "no customer" : "customer " + employer) + ", not for " + customer));
    }

    private Instant now() {
        // Milliseconds, because that is what the timestamps show: a record must not claim a time it cannot print.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
