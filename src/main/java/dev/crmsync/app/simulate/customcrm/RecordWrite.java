package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.customcrm.Problem.Type;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One write of the contract, whichever way it came: a request on a single route ({@code POST /{type}},
 * {@code PUT} or {@code PATCH /{type}/{id}}, {@code DELETE /{type}/{id}}) or an item of {@code POST /batch}. Both
 * read their request into one of these, with the readers below, and {@link #applyTo apply} it, so that a batch item
 * is checked and carried out by the very code of the route it stands for, and answers what that route answers.
 *
 * <p>Failures are {@link ProblemException}s, as everywhere in the reference server.
 *
 * <p>Implementations are immutable and threadsafe; the bodies they hold are never modified.
 *
 * @see BatchRoutes
 */
sealed interface RecordWrite {

    /** The most characters an idempotency key may have, as the contract's {@code IdempotencyKeyValue} says. */
    int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    /** A version in {@code If-Match}, quoted as the ETag gives it or bare. */
    Pattern IF_MATCH_VERSION = Pattern.compile("^\"?([0-9]{1,18})\"?$");

    /**
     * What a write that was carried out answers.
     *
     * @param status the HTTP status, 201 for a create, 200 for a replace or patch, 204 for a delete
     * @param record the record after the write; null after a delete, which answers no body
     */
    record Result(int status, ObjectNode record) {
    }

    /**
     * Carries the write out, in its own transaction.
     *
     * @param records the records to write to
     * @return what the route answers
     * @throws ProblemException when the contract's rules refuse the write
     */
    Result applyTo(CustomcrmRecords records);

    /** {@code POST /{type}}. */
    record Create(RecordType type, String idempotencyKey, JsonNode body) implements RecordWrite {
        @Override
        public Result applyTo(CustomcrmRecords records) {
            return new Result(201, records.create(type, body, idempotencyKey));
        }
    }

    /** {@code PUT /{type}/{id}}. */
    record Replace(RecordType type, String id, OptionalLong ifMatch, JsonNode body) implements RecordWrite {
        @Override
        public Result applyTo(CustomcrmRecords records) {
            return new Result(200, records.replace(type, id, body, ifMatch));
        }
    }

    /** {@code PATCH /{type}/{id}}, a JSON merge patch. */
    record Patch(RecordType type, String id, OptionalLong ifMatch, JsonNode body) implements RecordWrite {
        @Override
        public Result applyTo(CustomcrmRecords records) {
            return new Result(200, records.patch(type, id, body, ifMatch));
        }
    }

    /** {@code DELETE /{type}/{id}}. */
    record Delete(RecordType type, String id, OptionalLong ifMatch) implements RecordWrite {
        @Override
        public Result applyTo(CustomcrmRecords records) {
            records.delete(type, id, ifMatch);
            return new Result(204, null);
        }
    }

    // ---------------------------------------------------------------- readers of what a route takes

    /**
     * Reads an {@code Idempotency-Key} header, or a batch item's {@code idempotency_key}.
     *
     * @param value the value sent; null when none was
     * @return the key; null when none was sent
     * @throws ProblemException 400 when it is blank or too long
     */
    static String idempotencyKey(String value) {
        if (value != null && (value.isBlank() || value.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw Problem.of(Type.BAD_REQUEST, "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters").toException();
        }
        return value;
    }

    /**
     * Reads an {@code If-Match} header, or a batch item's {@code if_match}: {@code "3"}, {@code 3} or {@code *}.
     *
     * @param value the value sent; null when none was
     * @return the version to match; empty for none or {@code *}
     * @throws ProblemException 400 when it is not a version
     */
    static OptionalLong ifMatch(String value) {
        if (value == null || value.trim().equals("*")) {
            return OptionalLong.empty();
        }
        Matcher version = IF_MATCH_VERSION.matcher(value.trim());
        if (!version.matches()) {
            throw Problem.of(Type.BAD_REQUEST, "If-Match must be a version as the ETag gives it, such as \"3\"")
                    .toException();
        }
        return OptionalLong.of(Long.parseLong(version.group(1)));
    }

    /**
     * Checks that a write's body, already parsed, is a JSON object.
     *
     * @param body the parsed body; null or a missing node when there was none
     * @return the body
     * @throws ProblemException 400 when it is anything but a JSON object
     */
    static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Problem.of(Type.BAD_REQUEST, "the body must be a JSON object").toException();
        }
        return body;
    }
}
