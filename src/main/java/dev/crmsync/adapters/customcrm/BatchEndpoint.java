package dev.crmsync.adapters.customcrm;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.adapters.http.CrmHttpClient.Response;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What the connector knows of a Customcrm's optional batch writes ({@code POST /batch}): whether the server offers
 * them, and how many items it takes in one request.
 *
 * <p>The contract says a server shows what it implements in the document it serves at {@code GET /openapi.yaml}, so
 * that document is read once, on the first call to {@link #limit()}, and what it says is kept for the connector's
 * life: {@code POST /batch} there or not, and the {@code maxItems} of its request's {@code items} (a server may take
 * fewer than the contract's 1000). A server that serves no document is taken to offer nothing optional. Only when
 * the document cannot be had for now (5xx, timeouts, after the client's retries) is nothing kept: batches are then
 * tried, since a server without them says so with a 404, and the document is asked for again on the next call.
 *
 * <p>Later answers correct what the document said: {@link #absent} when a batch is answered as if there were no
 * such route, {@link #tooLarge} when one is refused with 413. Either is logged once per change, at info: it is
 * how the server is, not a fault.
 *
 * <p>This class is threadsafe.
 */
final class BatchEndpoint {

    /** Where a Customcrm serves its contract, and where it takes batches. */
    static final String CONTRACT_PATH = "/openapi.yaml";
    static final String PATH = "/batch";
    /** A limit that says "send every write on its own route". */
    static final int NONE = 1;

    private static final Logger LOG = LoggerFactory.getLogger(BatchEndpoint.class);
    private static final int UNKNOWN = 0;
    /** Nested references deeper than this are taken for a circle, and the document for one without batches. */
    private static final int MAX_REFERENCES = 32;

    private final CrmHttpClient http;
    private int limit = UNKNOWN;

    /**
     * @param http the connector's client; the contract is read with the API key, for a server that guards it
     */
    BatchEndpoint(CrmHttpClient http) {
        this.http = http;
    }

    /**
     * Reads the served contract if that was not done yet; the first call may therefore take a request.
     *
     * @return the most items to send in one batch, {@link #NONE} (or less) when batches are not to be sent
     * @throws PermanentCrmException when the server refuses the API key
     */
    synchronized int limit() {
        if (limit == UNKNOWN) {
            try {
                limit = read();
            } catch (TransientCrmException e) {
                // Not kept: the document may be back by the next call. A server without batches answers 404.
                LOG.atInfo().addKeyValue("problem", e.getMessage())
                        .log("Customcrm's contract could not be read for now; trying batch writes anyway");
                return CustomcrmSettings.MAX_WRITE_BATCH_SIZE;
            }
        }
        return limit;
    }

    /**
     * Records that the server answered a batch as a server without them does (404, 405 or 501): every write goes
     * on its own route from now on.
     *
     * @param status the status it answered
     * @return the new limit, {@link #NONE}
     */
    synchronized int absent(int status) {
        if (limit != NONE) {
            LOG.atInfo().addKeyValue("status", status)
                    .log("Customcrm answered POST /batch as a server without batch writes; each write goes on its "
                            + "own route from now on");
        }
        limit = NONE;
        return limit;
    }

    /**
     * Records that the server refused a batch of {@code refused} items as too large (413): later batches hold at
     * most half as many.
     *
     * @param refused how many items the refused batch held
     * @return the new limit
     */
    synchronized int tooLarge(int refused) {
        int smaller = Math.max(NONE, refused / 2);
        if (limit == UNKNOWN || smaller < limit) {
            LOG.atInfo().addKeyValue("refused", refused).addKeyValue("limit", smaller)
                    .log("Customcrm refused a batch as too large; smaller batches from now on");
            limit = smaller;
        }
        return limit;
    }

    private int read() {
        Response response = http.send("GET", CONTRACT_PATH, null, null,
                Map.of("Accept", "application/yaml, application/openapi+yaml, text/yaml"));
        if (response.status() == 401) {
            throw CustomcrmConnector.keyRefused("GET", CONTRACT_PATH);
        }
        if (!response.isSuccess()) {
            LOG.atInfo().addKeyValue("status", response.status()).log("Customcrm serves no contract, so it offers "
                    + "no batch writes crmsync knows of; each write goes on its own route");
            return NONE;
        }
        int found = limitIn(response.body());
        LOG.atInfo().addKeyValue("limit", found).log(found > NONE
                ? "Customcrm's contract offers batch writes" : "Customcrm's contract offers no batch writes; each "
                + "write goes on its own route");
        return found;
    }

    /**
     * @param contract the served document, YAML or JSON
     * @return the {@code maxItems} of {@code POST /batch}'s items, at most the contract's 1000; {@link #NONE} when
     *         the document has no {@code POST /batch}, or cannot be read
     */
    static int limitIn(String contract) {
        JsonNode root;
        try {
            root = YAMLMapper.builder().build().readTree(contract);
        } catch (JacksonException e) {
            return NONE;
        }
        if (root == null) {
            return NONE;
        }
        JsonNode post = root.path("paths").path(PATH).path("post");
        if (!post.isObject()) {
            return NONE;
        }
        JsonNode schema = resolve(root, resolve(root, post.path("requestBody")).path("content")
                .path("application/json").path("schema"));
        JsonNode items = resolve(root, schema.path("properties").path("items"));
        int most = items.path("maxItems").asInt(CustomcrmSettings.MAX_WRITE_BATCH_SIZE);
        return Math.max(NONE, Math.min(most, CustomcrmSettings.MAX_WRITE_BATCH_SIZE));
    }

    /** Follows local {@code $ref}s; anything else reads as a missing node, so no limit is found there. */
    private static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < MAX_REFERENCES && current.path("$ref").isString(); i++) {
            String ref = current.path("$ref").asString();
            current = ref.startsWith("#/") ? root.at(ref.substring(1)) : root.path("no such node");
        }
        return current;
    }
}
