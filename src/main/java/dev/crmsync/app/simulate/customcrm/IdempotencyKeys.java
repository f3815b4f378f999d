package dev.crmsync.app.simulate.customcrm;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The creates made under an {@code Idempotency-Key}: the key, the request it was first used with and the answer
 * sent. Only a successful create binds a key, so a client whose create was rejected may correct the body and
 * retry under the same key. The reference server keeps keys for good; the contract promises 24 hours.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class IdempotencyKeys {

    /** A create made under a key. */
    record Entry(RecordType type, JsonNode request, ObjectNode answer) {

        /**
         * @return true when {@code body} sent to {@code type} is a retry of this create: the same JSON value
         *         (member order and insignificant white space do not matter)
         */
        boolean isRetryOf(RecordType otherType, JsonNode body) {
            return type == otherType && request.equals(body);
        }
    }

    private IdempotencyKeys() {
    }

    /**
     * @return the create made under {@code key}, if any
     */
    static Optional<Entry> find(Handle h, String key) {
        return h.createQuery("SELECT type, request, answer FROM idempotency_keys WHERE idempotency_key = :key")
                .bind("key", key)
                .map((rs, ctx) -> new Entry(RecordType.fromPath(rs.getString("type")),
                        CustomcrmJson.MAPPER.readTree(rs.getString("request")),
                        (ObjectNode) CustomcrmJson.MAPPER.readTree(rs.getString("answer"))))
                .findOne();
    }

    /**
     * Binds {@code key} to a create, in the create's transaction.
     */
    static void remember(Handle h, String key, RecordType type, JsonNode request, ObjectNode answer, Instant now) {
        h.createUpdate("INSERT INTO idempotency_keys (idempotency_key, type, request, answer, created_at) "
                        + "VALUES (:key, :type, :request, :answer, :createdAt)")
                .bind("key", key)
                .bind("type", type.path())
                .bind("request", CustomcrmJson.MAPPER.writeValueAsString(request))
                .bind("answer", CustomcrmJson.MAPPER.writeValueAsString(answer))
                .bind("createdAt", CustomcrmJson.timestamp(now))
                .execute();
    }
}
