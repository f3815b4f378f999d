package dev.crmsync.adapters.customcrm;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.adapters.http.CrmHttpClient.Response;
import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.adapters.http.RateBudget;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.mapping.DefaultMappings;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * The Customcrm side of a connection, spoken through crmsync's published contract
 * ({@code contracts/customcrm-openapi.yaml}): the change feed for reads, tombstones for deletes, the link id in
 * {@code external_ids} as the stamp, idempotent creates, merge patches guarded by {@code If-Match} for updates.
 *
 * <p><b>Reads.</b> {@link #readChanges} walks {@code GET /{type}?since=…&limit=…} page by page and hands each page
 * to the sink before asking for the next; it stops when a page is empty, says {@code has_more: false}, or its
 * {@code next} does not move. A page that arrives malformed (cut-off JSON, no {@code items}) is asked for again a
 * few times and then fails the read with a {@link TransientCrmException}; a page is never skipped, since the
 * cursor would then pass changes nobody saw.
 *
 * <p><b>Writes.</b> Each write has one outcome, independent of the others in the call. Where the server offers
 * the contract's optional batch writes, the writes of a call go in {@code POST /batch} requests of up to
 * {@link CustomcrmSettings#writeBatchSize()} each, otherwise one request per write; an item of a batch answers what
 * its single route would, so the outcome is the same either way. A create is sent with
 * {@code Idempotency-Key: <link id>}: the HTTP client may then retry it (or the batch holding it) after a lost
 * answer, and the server replays the first answer instead of making a second record. An update is a JSON merge
 * patch, so fields crmsync does not map and {@code external_ids} keys of other tools are left alone.
 *
 * <p><b>Errors.</b> 429s and 5xx are waited out and retried by {@link CrmHttpClient}; when its attempts are spent
 * a read throws {@link TransientCrmException} and a write answers {@link WriteOutcome.Retry}. A refused API key
 * throws {@link PermanentCrmException} from every method, writes included: it concerns the whole connection, not
 * one record. Messages never contain the key.
 *
 * <p>This class is threadsafe. Between calls it keeps the HTTP client's pacing and what it learned of the server's
 * batch writes ({@link BatchEndpoint}): read once from the served contract, for the connector's life.
 *
 * @see CustomcrmSettings
 * @see CrmHttpClient
 */
public final class CustomcrmConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(CustomcrmConnector.class);
    private static final String SYSTEM = Side.CUSTOMCRM.label();
    private static final String JSON = "application/json";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    /**
     * Added to the client's {@code Accept: application/json}: errors come as problem JSON, and a DELETE answers
     * nothing else, so without it a strict server could refuse a delete with 406.
     */

    private final CustomcrmSettings settings;
    private final Map<Flow, String> stampKeys;
    private final InstantSource clock;
    private final CrmHttpClient http;
    private final BatchEndpoint batches;

    /**
     * Stamps every flow under {@link DefaultMappings#CUSTOMCRM_STAMP_KEY}.
     *
     * @param settings where Customcrm is and how to reach it
     * @param clock    the time source of the client's pacing and of the tombstones deletes answer
     * @param sleeper  how to wait for {@code Retry-After} and between retries
     */
    public CustomcrmConnector(CustomcrmSettings settings, InstantSource clock, Sleeper sleeper) {
        this(settings, Map.of(), clock, sleeper);
    }

    /**
     * @param settings  where Customcrm is and how to reach it
     * @param stampKeys the {@code external_ids} key holding the link id, per flow (a mapping's
     *                  {@code customcrmStampKey}); flows left out use {@link DefaultMappings#CUSTOMCRM_STAMP_KEY}
     * @param clock     the time source of the client's pacing and of the tombstones deletes answer
     * @param sleeper   how to wait for {@code Retry-After} and between retries
     */
    public CustomcrmConnector(CustomcrmSettings settings, Map<Flow, String> stampKeys, InstantSource clock,
                              Sleeper sleeper) {
        this(settings, stampKeys, clock, sleeper, HttpCallObserver.NONE);
    }

    /**
     * @param settings  where Customcrm is and how to reach it
     * @param stampKeys the {@code external_ids} key holding the link id, per flow; flows left out use
     *                  {@link DefaultMappings#CUSTOMCRM_STAMP_KEY}
     * @param clock     the time source of the client's pacing and of the tombstones deletes answer
     * @param sleeper   how to wait for {@code Retry-After} and between retries
     * @param observer  told about every request, as system {@code customcrm}
     */
    public CustomcrmConnector(CustomcrmSettings settings, Map<Flow, String> stampKeys, InstantSource clock,
                              Sleeper sleeper, HttpCallObserver observer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stampKeys = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            this.stampKeys.put(flow, stampKeys.getOrDefault(flow, DefaultMappings.CUSTOMCRM_STAMP_KEY));
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        // Customcrm publishes no fixed limit, so there is no pacing: a server that has one says so with 429 and
        // Retry-After, which the client honours.
        this.http = new CrmHttpClient(SYSTEM, withoutTrailingSlash(settings.url()), settings.timeout(), 0,
                settings.resilience(), clock, sleeper, new BearerKey(settings.apiKey()), observer);
        this.batches = new BatchEndpoint(http);
    }

    /**
     * @param settings where Customcrm is and how to reach it
     * @return a connector on the system clock that really sleeps
     */
    public static CustomcrmConnector of(CustomcrmSettings settings) {
        return new CustomcrmConnector(settings, InstantSource.system(), Sleeper.SYSTEM);
    }

    @Override
    public Side side() {
        return Side.CUSTOMCRM;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Customcrm can delete every record type; a customer or contact that live records still refer to is
     * refused until they are gone (see {@link #write}).
     */
    @Override
    public boolean canDelete(Flow flow) {
        return true;
    }

    // ---------------------------------------------------------------- reads

    /**
     * {@inheritDoc}
     *
     * <p>Idempotent: reading from the same cursor again gives the same changes or later states of them.
     *
     * @throws TransientCrmException when Customcrm keeps failing or keeps sending malformed pages
     * @throws PermanentCrmException when the key is refused or the cursor is not one this Customcrm issued
     */
    @Override
    public String readChanges(Flow flow, String cursor, Consumer<List<SideRecord>> sink) {
        String position = cursor;
        while (true) {
            RecordJson.Page page = readPage(flow, position);
            if (!page.records().isEmpty()) {
                sink.accept(page.records());
            }
            boolean moved = !page.next().equals(position);
            position = page.next();
            if (page.records().isEmpty() || !page.hasMore() || !moved) {
                return position;
            }
        }
    }

    /**
     * @return always empty: Customcrm reports deletes as tombstones in its change feed
     */
    @Override
    public Optional<Set<String>> allIds(Flow flow) {
        return Optional.empty();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Asks {@code GET /{type}/by-external-id/{stamp key}/{link id}}; only live records are found.
     *
     * @throws TransientCrmException when Customcrm keeps failing
     * @throws PermanentCrmException when the key is refused or the answer cannot be read
     */
    @Override
    public Optional<SideRecord> findByStamp(Flow flow, String linkId) {
        return getRecord(flow, collection(flow) + "/by-external-id/" + segment(stampKeys.get(flow)) + "/"
                + segment(linkId));
    }

    /** {@code GET} of one record; 404 and 410 (a deleted record) are empty. */
    private Optional<SideRecord> getRecord(Flow flow, String path) {
        Response response = http.send("GET", path, null, null, Map.of());
        if (response.status() == 404 || response.status() == 410) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw refused("GET", path, response);
        }
        try {
            return Optional.of(RecordJson.record(flow, RecordJson.object(response.body())));
        } catch (RecordJson.MalformedAnswer e) {
            throw new PermanentCrmException(SYSTEM + " GET " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one record with {@code GET /{type}/{id}}; a deleted record (410) or an unknown one (404) is empty.
     *
     * @throws TransientCrmException when Customcrm keeps failing
     * @throws PermanentCrmException when the key is refused or the answer cannot be read
     */
    @Override
    public Optional<SideRecord> read(Flow flow, String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a Customcrm id must not be blank");
        }
        return getRecord(flow, collection(flow) + "/" + segment(id));
    }

    private RecordJson.Page readPage(Flow flow, String cursor) {
        String path = collection(flow) + "?" + (cursor == null ? "" : "since=" + query(cursor) + "&")
                + "limit=" + settings.pageSize();
        return http.read(path, response -> {
            if (!response.isSuccess()) {
                throw refused("GET", collection(flow), response);
            }
            try {
                return RecordJson.page(flow, response.body());
            } catch (RecordJson.MalformedAnswer e) {
                throw new CrmHttpClient.UnreadableAnswerException("malformed change page: " + e.getMessage());
            }
        });
    }

    // ---------------------------------------------------------------- writes

    /**
     * {@inheritDoc}
     *
     * <ul>
     *   <li>Create: {@code POST /{type}} with {@code Idempotency-Key: <link id>}; a repeat of a create that landed
     *       answers the record it made. Should the key have been bound to a different body, or have expired, the
     *       record stamped with the link id is taken over and patched instead of failing.</li>
     *   <li>Update: {@code PATCH /{type}/{id}} as a merge patch with {@code If-Match} of the version last read;
     *       412 answers {@link WriteOutcome.Retry}, so the engine reads the record again and merges.</li>
     *   <li>Delete: {@code DELETE /{type}/{id}} without {@code If-Match} (the port's delete carries no version);
     *       404 and 410 count as done. A customer or contact still referred to answers
     *       {@link WriteOutcome.Retry}: the delete can pass once its children are deleted or moved.</li>
     * </ul>
     * 422 answers {@link WriteOutcome.Rejected} with the problem's detail and every offending field, any other
     * 4xx {@link WriteOutcome.Rejected} with status and detail; spent retries {@link WriteOutcome.Retry}.
     *
     * <p>Where the server offers batch writes (see {@link BatchEndpoint}) and the call holds more than one write,
     * they go in {@code POST /batch} requests of up to {@link CustomcrmSettings#writeBatchSize()} items, each item
     * the write its single route would carry, with the same outcome. A batch is sent as idempotent, since every
     * item is: the HTTP client repeats one whose answer was lost, and when its attempts are spent every write of
     * the batch answers {@link WriteOutcome.Retry}. A batch answered 404 or 405 turns batches off for the
     * connector's life and its writes go on their routes (so would a 501, but {@link CrmHttpClient} retries that
     * as any 5xx and the writes answer {@link WriteOutcome.Retry}); one refused as too large (413) is sent again in
     * halves; one refused as a whole for another reason (400, 415, 422) is sent again write by write, so that each
     * write gets its own outcome. The rare create that must take over its stamped record does so in single
     * requests.
     *
     * @throws PermanentCrmException when the API key is refused
     */
    @Override
    public List<WriteOutcome> write(Flow flow, List<Write> writes) {
        int limit = writes.size() < 2 || settings.writeBatchSize() == 1 ? BatchEndpoint.NONE
                : Math.min(settings.writeBatchSize(), batches.limit());
        List<WriteOutcome> outcomes = new ArrayList<>(writes.size());
        int next = 0;
        while (next < writes.size()) {
            int size = Math.min(limit, writes.size() - next);
            if (size <= BatchEndpoint.NONE) {
                outcomes.add(apply(flow, writes.get(next++)));
                continue;
            }
            Batch batch = sendBatch(flow, writes.subList(next, next + size));
            if (batch.outcomes() == null) {
                limit = Math.min(limit, batch.limit());
            } else {
                outcomes.addAll(batch.outcomes());
                next += size;
            }
        }
        return outcomes;
    }

    /**
     * What became of one batch request.
     *
     * @param outcomes one per write, in order; null when the server did not take the batch, so it is to be sent
     *                 again in smaller pieces or write by write
     * @param limit    when it did not: the most writes per batch from now on
     */
    private record Batch(List<WriteOutcome> outcomes, int limit) {
    }

    private Batch sendBatch(Flow flow, List<Write> writes) {
        WriteOutcome[] outcomes = new WriteOutcome[writes.size()];
        List<Integer> sent = new ArrayList<>(writes.size());
        StringJoiner items = new StringJoiner(",", "{\"items\":[", "]}");
        for (int i = 0; i < writes.size(); i++) {
            try {
                items.add(RecordJson.MAPPER.writeValueAsString(item(flow, writes.get(i))));
                sent.add(i);
            } catch (JacksonException e) {
                outcomes[i] = unwritable(e);
            }
        }
        if (sent.isEmpty()) {
            return new Batch(List.of(outcomes), 0);
        }
        Response response;
        try {
            // Idempotent as a whole because each item is: keyed creates replay, patches carry If-Match or set the
            // same values again, deletes of deleted records answer 410. So a lost answer may be asked for again.
            response = http.send("POST", BatchEndpoint.PATH, JSON, items.toString(), Map.of(), true);
        } catch (TransientCrmException e) {
            sent.forEach(i -> outcomes[i] = new WriteOutcome.Retry(e.getMessage()));
            return new Batch(List.of(outcomes), 0);
        }
        checkKey("POST", BatchEndpoint.PATH, response);
        int status = response.status();
        if (status == 404 || status == 405 || status == 501) {
            return new Batch(null, batches.absent(status));
        }
        if (status == 413) {
            return new Batch(null, batches.tooLarge(sent.size()));
        }
        if (!response.isSuccess()) {
            LOG.atWarn().addKeyValue("flow", flow.configName()).addKeyValue("writes", sent.size())
                    .addKeyValue("problem", ProblemAnswer.of(response).reason())
                    .log("Customcrm refused a batch as a whole; its writes go one by one");
            sent.forEach(i -> outcomes[i] = apply(flow, writes.get(i)));
            return new Batch(List.of(outcomes), 0);
        }
        List<WriteAnswer> answers;
        try {
            answers = WriteAnswer.ofBatch(response.body(), sent.size());
        } catch (RecordJson.MalformedAnswer e) {
            // Carried out or not, every item may be sent again, for the reason the batch may be repeated.
            String reason = SYSTEM + " answered a batch unreadably: " + e.getMessage();
            sent.forEach(i -> outcomes[i] = new WriteOutcome.Retry(reason));
            return new Batch(List.of(outcomes), 0);
        }
        for (int k = 0; k < sent.size(); k++) {
            Write write = writes.get(sent.get(k));
            WriteAnswer answer = answers.get(k);
            outcomes[sent.get(k)] = guarded(() -> switch (write) {
                case Write.Create create -> created(flow, create, answer);
                case Write.Update update -> patched(flow, answer);
                case Write.Delete delete -> deleted(flow, delete, answer);
            });
        }
        return new Batch(List.of(outcomes), 0);
    }

    /** A batch item: the single route's write, its path and headers written as members. */
    private static Map<String, Object> item(Flow flow, Write write) {
        Map<String, Object> item = new LinkedHashMap<>();
        switch (write) {
            case Write.Create create -> {
                item.put("op", "create");
                item.put("type", flow.customcrmCollection());
                item.put("idempotency_key", create.linkId());
                item.put("body", create.properties());
            }
            case Write.Update update -> {
                item.put("op", "patch");
                item.put("type", flow.customcrmCollection());
                item.put("id", update.recordId());
                versionOf(update).ifPresent(version -> item.put("if_match", version));
                item.put("body", update.properties());
            }
            case Write.Delete delete -> {
                item.put("op", "delete");
                item.put("type", flow.customcrmCollection());
                item.put("id", delete.recordId());
            }
        }
        return item;
    }

    /** One write on its own route: no state shared with the other writes of the call. */
    private WriteOutcome apply(Flow flow, Write write) {
        return guarded(() -> switch (write) {
            case Write.Create create -> create(flow, create);
            case Write.Update update -> patch(flow, update.recordId(), versionOf(update), update.properties());
            case Write.Delete delete -> delete(flow, delete);
        });
    }

    private static WriteOutcome guarded(Supplier<WriteOutcome> write) {
        try {
            return write.get();
        } catch (TransientCrmException e) {
            return new WriteOutcome.Retry(e.getMessage());
        } catch (JacksonException e) {
            return unwritable(e);
        }
    }

    private WriteOutcome create(Flow flow, Write.Create create) {
        String path = collection(flow);
        Response response = http.send("POST", path, JSON, RecordJson.write(create.properties()),
                Map.of("Idempotency-Key", create.linkId()));
        checkKey("POST", path, response);
        return created(flow, create, WriteAnswer.of(response));
    }

    private WriteOutcome created(Flow flow, Write.Create create, WriteAnswer answer) {
        if (answer.isSuccess()) {
            return done(flow, answer);
        }
        ProblemAnswer problem = answer.problem();
        if (problem.is("idempotency-key-reused") || problem.is("external-id-taken")) {
            // The link's record exists already: made by an earlier attempt whose answer was lost, under a body
            // that has changed since or a key the server no longer keeps. Make it what this create wants.
            Optional<SideRecord> stamped = findByStamp(flow, create.linkId());
            if (stamped.isPresent() && (problem.existingId() == null
                    || problem.existingId().equals(stamped.get().id()))) {
                LOG.atInfo().addKeyValue("flow", flow.configName()).addKeyValue("linkId", create.linkId())
                        .addKeyValue("recordId", stamped.get().id()).log("create found its record already made");
                return patch(flow, stamped.get().id(), version(stamped.get()), create.properties());
            }
        }
        return failure(problem);
    }

    /**
     * @return the version to send in {@code If-Match}: the one last read; none when the engine had no copy of the
     *         record, since crmsync never read a version it could claim (the merge patch still touches only the
     *         mapped fields)
     */
    private static Optional<String> versionOf(Write.Update update) {
        return update.current() == null ? Optional.empty() : version(update.current());
    }

    private WriteOutcome patch(Flow flow, String id, Optional<String> version, Map<String, Object> properties) {
        String path = collection(flow) + "/" + segment(id);
        Map<String, String> ifMatch = version.map(v -> Map.of("If-Match", "\"" + v + "\"")).orElse(Map.of());
        Response response = http.send("PATCH", path, MERGE_PATCH, RecordJson.write(properties), ifMatch);
        checkKey("PATCH", path, response);
        return patched(flow, WriteAnswer.of(response));
    }

    private static WriteOutcome patched(Flow flow, WriteAnswer answer) {
        if (answer.isSuccess()) {
            return done(flow, answer);
        }
        if (answer.status() == 412) {
            return new WriteOutcome.Retry("changed on " + SYSTEM + " since it was read");
        }
        return failure(answer.problem());
    }

    private WriteOutcome delete(Flow flow, Write.Delete delete) {
        String path = collection(flow) + "/" + segment(delete.recordId());
        Response response = http.send("DELETE", path, null, null, Map.of());
        checkKey("DELETE", path, response);
        return deleted(flow, delete, WriteAnswer.of(response));
    }

    private WriteOutcome deleted(Flow flow, Write.Delete delete, WriteAnswer answer) {
        if (answer.isSuccess() || answer.status() == 404 || answer.status() == 410) {
            // The server does not say when; the feed's tombstone brings its own time later.
            return new WriteOutcome.Done(SideRecord.deletion(Side.CUSTOMCRM, flow, delete.recordId(),
                    clock.instant()));
        }
        if (answer.problem().is("still-referenced")) {
            return new WriteOutcome.Retry(answer.problem().detail());
        }
        return failure(answer.problem());
    }

    private static WriteOutcome failure(ProblemAnswer problem) {
        // Only a batch item can carry a 429 or 5xx (the client retries those of a whole answer): worth another try.
        if (problem.status() == 429 || problem.status() >= 500) {
            return new WriteOutcome.Retry(problem.reason());
        }
        return new WriteOutcome.Rejected(problem.reason());
    }

    private static WriteOutcome unwritable(JacksonException e) {
        return new WriteOutcome.Rejected("the properties cannot be written as JSON: " + e.getOriginalMessage());
    }

    private static WriteOutcome done(Flow flow, WriteAnswer answer) {
        try {
            if (answer.record() == null) {
                throw new RecordJson.MalformedAnswer("no record in the answer", null);
            }
            return new WriteOutcome.Done(RecordJson.record(flow, answer.record()));
        } catch (RecordJson.MalformedAnswer e) {
            // The write landed but its answer cannot be read. Trying again is safe: a create replays under its
            // key, a patch meets 412 (its version moved) and the engine reads the record afresh.
            return new WriteOutcome.Retry(SYSTEM + " answered the write with an unreadable record: " + e.getMessage());
        }
    }

    private static Optional<String> version(SideRecord current) {
        Object version = current.properties().get("version");
        if (version instanceof Number number) {
            // A copy that went through a store may hold 3 as 3.0; If-Match wants the bare integer.
            return Optional.of(new BigDecimal(number.toString()).stripTrailingZeros().toPlainString());
        }
        return version == null ? Optional.empty() : Optional.of(version.toString());
    }

    // ---------------------------------------------------------------- webhooks

    /**
     * Subscribes crmsync to changes of every record type ({@code POST /webhooks}), after removing crmsync's
     * subscriptions left from an earlier start: those whose {@code url} starts with {@code callbackPrefix}. Not part
     * of {@link Connector}: only the service uses webhooks. Calling it again replaces what the last call made.
     * Neither the URL nor the secret appears in a message or log.
     *
     * @param callbackPrefix what every crmsync subscription's URL starts with, e.g.
     *                       {@code https://sync.example.com/hooks/customcrm}
     * @param url            where this start's deliveries go; starts with {@code callbackPrefix}
     * @param secret         the secret Customcrm signs deliveries with, at least 16 characters
     * @return the new subscription's id
     * @throws TransientCrmException when Customcrm stays unreachable
     * @throws PermanentCrmException when Customcrm refuses the key or the subscription, or offers no webhooks
     * @see #removeWebhooks
     */
    public String replaceWebhooks(String callbackPrefix, String url, Secret secret) {
        return new CustomcrmWebhooks(http).replace(callbackPrefix, url, Objects.requireNonNull(secret, "secret"));
    }

    /**
     * Removes crmsync's subscriptions: those whose {@code url} starts with {@code callbackPrefix}. Idempotent.
     *
     * @param callbackPrefix what every crmsync subscription's URL starts with
     * @return how many were removed
     * @throws TransientCrmException when Customcrm stays unreachable
     * @throws PermanentCrmException when Customcrm refuses the key, or offers no webhooks
     */
    public int removeWebhooks(String callbackPrefix) {
        return new CustomcrmWebhooks(http).remove(callbackPrefix);
    }

    // ---------------------------------------------------------------- errors

    private static void checkKey(String method, String path, Response response) {
        if (response.status() == 401) {
            throw keyRefused(method, path);
        }
    }

    private static RuntimeException refused(String method, String path, Response response) {
        if (response.status() == 401) {
            return keyRefused(method, path);
        }
        return new PermanentCrmException(SYSTEM + " " + method + " " + path + " answered "
                + ProblemAnswer.of(response).reason(), null);
    }

    static PermanentCrmException keyRefused(String method, String path) {
        return new PermanentCrmException(SYSTEM + " refused the API key (401 on " + method + " " + path
                + "); check customcrm.api-key", null);
    }

    // ---------------------------------------------------------------- plumbing

    private static String collection(Flow flow) {
        return "/" + flow.customcrmCollection();
    }

    private static String segment(String value) {
        // URLEncoder encodes for forms; in a path a space is %20, not +.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static URI withoutTrailingSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }

    /**
     * @return always empty: Customcrm publishes no limit, so crmsync keeps no pace of its own (a 429 still counts)
     */
    public Optional<RateBudget> budget() {
        return http.budget();
    }

    /** Nothing to release: the JDK client's connections close when idle. */
    @Override
    public void close() {
        http.close();
    }

    /** The static API key as a bearer token. It cannot be renewed, so a 401 is final. */
    private static final class BearerKey implements CrmHttpClient.Authenticator {

        private final Secret key;

        BearerKey(Secret key) {
            this.key = key;
        }

        @Override
        public void authorize(HttpRequest.Builder request) {
            request.header("Authorization", "Bearer " + key.reveal());
        }

        @Override
        public boolean renew() {
            return false;
        }
    }
}
