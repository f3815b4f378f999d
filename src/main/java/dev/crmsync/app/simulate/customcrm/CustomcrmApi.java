package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.FaultFilter;
import dev.crmsync.app.simulate.customcrm.Problem.Type;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP side of the contract: routes, headers, bodies and status codes. What a request does to the records is
 * {@link CustomcrmRecords}'s business and what a feed page holds is {@link ChangeFeed}'s; this class only
 * translates between them and HTTP.
 *
 * <p>This class is threadsafe.
 */
final class CustomcrmApi {

    static final String CONTRACT_PATH = "/openapi.yaml";
    private static final String CONTRACT_RESOURCE = "/contracts/customcrm-openapi.yaml";
    private static final String JSON = "application/json";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final Pattern IF_MATCH = Pattern.compile("^\"?([0-9]{1,18})\"?$");
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private final CustomcrmRecords records;
    private final ChangeFeed feed;
    private final byte[] contract;

    CustomcrmApi(CustomcrmRecords records, ChangeFeed feed) {
        this.records = records;
        this.feed = feed;
        this.contract = readContract();
    }

    /**
     * Installs the routes of all record types and of the contract document.
     *
     * @param cfg the server configuration being built
     */
    void install(JavalinConfig cfg) {
        for (RecordType type : RecordType.values()) {
            String collection = collectionPath(type);
            String one = collection + "/{id}";
            cfg.routes.get(collection, ctx -> listChanges(ctx, type));
            cfg.routes.post(collection, ctx -> create(ctx, type));
            cfg.routes.get(collection + "/by-external-id/{key}/{value}", ctx -> answer(ctx, 200,
                    records.getByExternalId(type, ctx.pathParam("key"), ctx.pathParam("value"))));
            cfg.routes.get(one, ctx -> answer(ctx, 200, records.get(type, ctx.pathParam("id"))));
            cfg.routes.put(one, ctx -> answer(ctx, 200,
                    records.replace(type, ctx.pathParam("id"), body(ctx, List.of(JSON)), ifMatch(ctx))));
            cfg.routes.patch(one, ctx -> answer(ctx, 200,
                    records.patch(type, ctx.pathParam("id"), body(ctx, List.of(MERGE_PATCH, JSON)), ifMatch(ctx))));
            cfg.routes.delete(one, ctx -> {
                records.delete(type, ctx.pathParam("id"), ifMatch(ctx));
                ctx.status(204);
            });
        }
        cfg.routes.get(CONTRACT_PATH, ctx -> ctx.contentType("application/yaml").result(contract));
    }

    private void listChanges(Context ctx, RecordType type) {
        ChangeFeed.Page page = feed.read(type, ctx.queryParam("since"), limit(ctx));
        ObjectNode body = CustomcrmJson.MAPPER.createObjectNode();
        body.putArray("items").addAll(page.items());
        body.put("next", page.next());
        body.put("has_more", page.hasMore());
        FaultFilter.markPage(ctx);
        ctx.contentType(JSON).result(CustomcrmJson.MAPPER.writeValueAsString(body));
    }

    private void create(Context ctx, RecordType type) {
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw Problem.of(Type.BAD_REQUEST, "Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters").toException();
        }
        ObjectNode created = records.create(type, body(ctx, List.of(JSON)), key);
        ctx.header("Location", collectionPath(type) + "/" + created.path("id").asString());
        answer(ctx, 201, created);
    }

    private static void answer(Context ctx, int status, ObjectNode record) {
        ctx.status(status)
                .header("ETag", "\"" + record.path("version").asLong() + "\"")
                .contentType(JSON)
                .result(CustomcrmJson.MAPPER.writeValueAsString(record));
    }

    /**
     * The body of a write: one JSON object, in one of {@code mediaTypes} or with no content type at all.
     *
     * @throws ProblemException 415 for another media type, 400 for anything but a JSON object
     */
    static JsonNode body(Context ctx, List<String> mediaTypes) {
        String contentType = ctx.header("Content-Type");
        // A missing Content-Type is read as JSON: being strict there would only fail clients that forgot it.
        if (contentType != null && !mediaTypes.contains(mediaType(contentType))) {
            throw Problem.of(Type.UNSUPPORTED_MEDIA_TYPE, "send the body as " + String.join(" or ", mediaTypes))
                    .toException();
        }
        JsonNode body;
        try {
            body = CustomcrmJson.MAPPER.readTree(ctx.body());
        } catch (JacksonException e) {
            throw Problem.of(Type.BAD_REQUEST, "the body is not valid JSON").toException();
        }
        if (body == null || !body.isObject()) {
            throw Problem.of(Type.BAD_REQUEST, "the body must be a JSON object").toException();
        }
        return body;
    }

    private static String mediaType(String contentType) {
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    private static OptionalLong ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.trim().equals("*")) {
            return OptionalLong.empty();
        }
        Matcher version = IF_MATCH.matcher(header.trim());
        if (!version.matches()) {
            throw Problem.of(Type.BAD_REQUEST, "If-Match must be a version as the ETag gives it, such as \"3\"")
                    .toException();
        }
        return OptionalLong.of(Long.parseLong(version.group(1)));
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return ChangeFeed.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= ChangeFeed.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below, like a number out of range.
        }
        throw Problem.of(Type.BAD_REQUEST, "limit must be a whole number from 1 to " + ChangeFeed.MAX_LIMIT)
                .toException();
    }

    private static String collectionPath(RecordType type) {
        return "/" + type.path();
    }

    private static byte[] readContract() {
        try (InputStream in = CustomcrmApi.class.getResourceAsStream(CONTRACT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the contract " + CONTRACT_RESOURCE + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contract " + CONTRACT_RESOURCE, e);
        }
    }
}
