package dev.crmsync.adapters.webcrm;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.adapters.http.HttpCallObserver;
import dev.crmsync.adapters.http.RateBudget;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.adapters.webcrm.internal.ChangeCursor;
import dev.crmsync.adapters.webcrm.internal.FieldsMetadataReader;
import dev.crmsync.adapters.webcrm.internal.QueryPager;
import dev.crmsync.adapters.webcrm.internal.WebcrmHookClient;
import dev.crmsync.adapters.webcrm.internal.WebcrmJson;
import dev.crmsync.adapters.webcrm.internal.WebcrmLookups;
import dev.crmsync.adapters.webcrm.internal.WebcrmRows;
import dev.crmsync.adapters.webcrm.internal.WebcrmScripts;
import dev.crmsync.adapters.webcrm.internal.WebcrmSession;
import dev.crmsync.adapters.webcrm.internal.WebcrmTime;
import dev.crmsync.adapters.webcrm.internal.WebcrmWriter;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.Connector;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * webCRM as the engine sees it, over webCRM REST API v1 ({@code docs/webcrm/API-NOTES.md}).
 *
 * <ul>
 *   <li><b>Login</b> ({@link WebcrmSession}): the application token buys a one-hour bearer token, kept until
 *       shortly before it runs out and renewed once on a 401. A refused token is a
 *       {@link PermanentCrmException}; the token appears in no message or log.</li>
 *   <li><b>Reads</b> go through {@code GET /Queries} ({@link QueryPager}), ordered by {@code …UpdatedAt}, page by
 *       page. The cursor ({@code ChangeCursor}) holds webCRM's own offset-less {@code …UpdatedAt} text; once per
 *       {@link WebcrmSettings#overlap()} a read starts an overlap back, to catch changes stamped late.</li>
 *   <li><b>Writes</b> ({@link WebcrmWriter}): bulk upserts by {@code PATCH} of whole DTOs, creates confirmed by
 *       reading their link stamps back; DELETE for products only.</li>
 *   <li><b>Requests</b> all go through one {@link CrmHttpClient}: paced under the configured rate, 429s waited out
 *       for their {@code Retry-After}, 5xx and dropped connections retried where that is safe.</li>
 * </ul>
 *
 * <p>Record properties pass through as webCRM sends them, minus {@code /Queries}' internal columns; the connector
 * converts no field values. webCRM keeps no tombstones, so deletes are found by {@link #allIds}.
 *
 * <p>Errors: {@link TransientCrmException} when webCRM stays unreachable, throttled or keeps sending unreadable
 * pages past the retries; {@link PermanentCrmException} when it refuses the token or a query. Writes report a
 * refused record in its {@link WriteOutcome} instead.
 *
 * <p>This class is threadsafe; the engine drives it from one thread at a time.
 *
 * @see WebcrmSettings
 */
public final class WebcrmConnector implements Connector {

    /** webCRM's page size ceiling (API-NOTES §3.2), used where a listing should take as few requests as can be. */
    static final int MAX_PAGE_SIZE = 1000;
    /**
     * How long after its stamp a record read last may still be joined by others with the same stamp: a read within
     * it starts at that stamp, one after it goes on after the last record read. A minute covers whole-second stamps,
     * commits that take a while, and a webCRM clock somewhat ahead of crmsync's; a later straggler is the safety
     * read's to find.
     */
    static final Duration SAME_STAMP_WINDOW = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(WebcrmConnector.class);
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final WebcrmSettings settings;
    private final Map<Flow, String> stampProperties;
    private final WebcrmTime time;
    private final WebcrmSession session;
    private final CrmHttpClient http;
    private final QueryPager pager;
    private final WebcrmLookups lookups;
    private final WebcrmWriter writer;
    private final InstantSource clock;
    private final FieldsMetadataReader metadata;

    /**
     * @param settings        how to reach the account
     * @param stampProperties per flow, the webCRM custom field that holds the link id (e.g.
     *                        {@code OrganisationCustom5}); every flow needs one
     * @param clock           the time source of token expiry and pacing
     * @param sleeper         how to wait for rate limits and retries
     * @throws IllegalArgumentException when a flow has no stamp property, or one not of its entity
     */
    public WebcrmConnector(WebcrmSettings settings, Map<Flow, String> stampProperties, InstantSource clock,
                           Sleeper sleeper) {
        this(settings, stampProperties, clock, sleeper, HttpCallObserver.NONE);
    }

    /**
     * @param settings        how to reach the account
     * @param stampProperties per flow, the webCRM custom field that holds the link id
     * @param clock           the time source of token expiry and pacing
     * @param sleeper         how to wait for rate limits and retries
     * @param observer        told about every request, as system {@code webcrm}
     * @throws IllegalArgumentException when a flow has no stamp property, or one not of its entity
     */
    public WebcrmConnector(WebcrmSettings settings, Map<Flow, String> stampProperties, InstantSource clock,
                           Sleeper sleeper, HttpCallObserver observer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stampProperties = checkedStamps(stampProperties);
        this.time = new WebcrmTime(settings.timeZone());
        this.session = new WebcrmSession(settings.token(), clock, this::sendLogin);
        this.http = new CrmHttpClient("webCRM", settings.url(), settings.timeout(), settings.requestsPerMinute(),
                settings.resilience(), clock, sleeper, session, observer);
        this.pager = new QueryPager(http);
        this.lookups = new WebcrmLookups(pager, time, this.stampProperties);
        this.writer = new WebcrmWriter(http, this.stampProperties, lookups, settings.writeBatchSize());
        this.metadata = new FieldsMetadataReader(http);
    }

    /**
     * @param settings        how to reach the account
     * @param stampProperties per flow, the custom field that holds the link id
     * @return a connector on the system clock that really sleeps
     */
    public static WebcrmConnector of(WebcrmSettings settings, Map<Flow, String> stampProperties) {
        return new WebcrmConnector(settings, stampProperties, InstantSource.system(), Sleeper.SYSTEM);
    }

    @Override
    public Side side() {
        return Side.WEBCRM;
    }

    /**
     * @return true for products only: webCRM's API has no DELETE for organisations and persons (API-NOTES §8)
     */
    @Override
    public boolean canDelete(Flow flow) {
        return flow == Flow.PRODUCTS;
    }

    /**
     * Reads the changes since the cursor, {@code ORDER BY {Entity}UpdatedAt, {Entity}Id}, a page at a time,
     * handing each page to {@code sink} before the next is asked for.
     *
     * <p>Where a read starts ({@link ChangeCursor}): an ordinary read goes on after the last record read,
     * {@code WHERE UpdatedAt > 'u' OR (UpdatedAt = 'u' AND Id > id)}, so an idle cycle costs one empty page, except
     * within {@link #SAME_STAMP_WINDOW} of that record's stamp, when it starts at the stamp itself; once
     * per {@link WebcrmSettings#overlap()} a safety read starts at the point before which everything was certainly
     * read ({@code UpdatedAt >= 'safe'}), which catches changes that turned up late with an earlier stamp. Either
     * start moves back to the repeated hour when the clocks were put back in between.
     *
     * <p>Pages are keyed, not numbered (API-NOTES §6.5): each next page is asked for after the last row of the one
     * before, always as page 1. A record edited during the read moves to the end and comes again, and no row can
     * slip past a page boundary. The read ends at a page shorter than the page size (or an empty one): a server
     * that caps pages below the size asked for only makes the next read go on from there.
     *
     * @throws TransientCrmException when webCRM stays unreachable or a page stays unreadable
     * @throws PermanentCrmException when webCRM refuses the token or the query, or the cursor is no cursor
     */
    @Override
    public String readChanges(Flow flow, String cursor, Consumer<List<SideRecord>> sink) {
        Instant now = clock.instant();
        ChangeCursor last = parseCursor(cursor);
        boolean safety = last == null || safetyDue(last, now);
        String script = firstScript(flow, last, safety, now);
        String lastStamp = last == null ? null : last.updatedAt();
        long lastId = last == null ? 0 : last.id();
        int read = 0;
        int page = 1;
        while (true) {
            List<Map<String, Object>> rows = pager.page(script, page, settings.pageSize());
            List<SideRecord> records = new ArrayList<>(rows.size());
            String pageStamp = null;
            long pageId = 0;
            for (Map<String, Object> row : rows) {
                SideRecord record = WebcrmRows.toRecord(flow, row, time);
                String updatedAt = WebcrmRows.updatedAt(flow, row);
                if (updatedAt != null && readable(updatedAt)) {
                    pageStamp = updatedAt;
                    pageId = Long.parseLong(record.id());
                }
                records.add(record);
            }
            read += records.size();
            if (!records.isEmpty()) {
                sink.accept(records);
            }
            if (pageStamp != null && (lastStamp == null || !local(pageStamp).isBefore(local(lastStamp)))) {
                lastStamp = pageStamp;
                lastId = pageId;
            }
            if (rows.size() < settings.pageSize()) {
                break;
            }
            // The next page goes on after this one's last row; without a readable stamp on it, by page number.
            if (pageStamp == null) {
                page++;
            } else {
                script = WebcrmScripts.changesAfter(flow, pageStamp, pageId);
                page = 1;
            }
        }
        if (lastStamp == null) {
            // Nothing was ever read: the next read starts from the beginning again, which costs one empty page.
            return null;
        }
        // After a safety read, everything stamped before the overlap that preceded it has been seen.
        String safe = safety ? time.format(now.minus(settings.overlap())) : last.safe();
        String next = new ChangeCursor(lastStamp, lastId, safe).toString();
        log.atDebug().addKeyValue("flow", flow.configName()).addKeyValue("records", read)
                .addKeyValue("cursor", next).addKeyValue("safety", safety).log("read webCRM changes");
        return next;
    }

    /**
     * The first page's query: everything for a first read, from the safe point for a safety read, else after the
     * last record read (or from the repeated hour, where the clocks went back since).
     */
    private String firstScript(Flow flow, ChangeCursor last, boolean safety, Instant now) {
        if (last == null) {
            return WebcrmScripts.changesSince(flow, null);
        }
        // A safe point after the last record read leaves nothing to read again: nothing changed for an overlap.
        if (safety && !local(safePoint(last)).isAfter(local(last.updatedAt()))) {
            return WebcrmScripts.changesSince(flow, windowStart(safePoint(last), now));
        }
        String start = windowStart(last.updatedAt(), now);
        if (local(start).isBefore(local(last.updatedAt()).withNano(0)) || !settled(last, now)) {
            return WebcrmScripts.changesSince(flow, start);
        }
        return WebcrmScripts.changesAfter(flow, last.updatedAt(), last.id());
    }

    /**
     * Whether the last stamp read is old enough that no more records will turn up with it: until then, a read
     * starts at that stamp rather than after the last record read, because a record edited in the same second
     * (webCRM's stamps may be whole seconds) can have a lower id than the last one read and would be passed over.
     */
    private boolean settled(ChangeCursor last, Instant now) {
        try {
            return !now.isBefore(time.instant(last.updatedAt()).plus(SAME_STAMP_WINDOW));
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static ChangeCursor parseCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            return ChangeCursor.parse(cursor);
        } catch (IllegalArgumentException e) {
            throw new PermanentCrmException("the stored webCRM cursor '" + cursor + "' is not one crmsync wrote", e);
        }
    }

    /**
     * Lists every id with {@code SELECT {Entity}Id FROM {Entity}}, 1000 at a time. The pages are keyed by id
     * ({@code WHERE {Entity}Id > last}) rather than numbered, so that a record deleted meanwhile cannot shift a
     * page and hide a living record, which the engine would take for a delete.
     *
     * @return the complete set of ids; never empty, since webCRM keeps no tombstones
     * @throws TransientCrmException when webCRM stays unreachable or a page stays unreadable
     * @throws PermanentCrmException when webCRM refuses the token or the query, or ignores the id filter
     */
    @Override
    public Optional<Set<String>> allIds(Flow flow) {
        String idField = WebcrmScripts.idField(flow);
        Set<String> ids = new HashSet<>();
        long last = 0;
        while (true) {
            List<Map<String, Object>> rows = pager.page(WebcrmScripts.idsAfter(flow, last), 1, MAX_PAGE_SIZE);
            if (rows.isEmpty()) {
                return Optional.of(Set.copyOf(ids));
            }
            long greatest = last;
            for (Map<String, Object> row : rows) {
                String id = WebcrmJson.idText(row.get(idField)).orElseThrow(() -> new PermanentCrmException(
                        "webCRM listed a " + flow.webcrmEntity() + " without a usable " + idField, null));
                ids.add(id);
                greatest = Math.max(greatest, Long.parseLong(id));
            }
            if (greatest <= last) {
                throw new PermanentCrmException("webCRM ignored the filter " + idField + " > " + last
                        + " while listing ids", null);
            }
            last = greatest;
        }
    }

    /**
     * Reads one record with a {@code /Queries} lookup by id, the same query a write's check of the current record
     * uses.
     *
     * @throws IllegalArgumentException when {@code id} is not a webCRM id (a whole number)
     * @throws TransientCrmException    when webCRM stays unreachable or the page stays unreadable
     * @throws PermanentCrmException    when webCRM refuses the token or the query
     */
    @Override
    public Optional<SideRecord> read(Flow flow, String id) {
        if (id == null || !id.matches("[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("'" + id + "' is not a webCRM id: webCRM ids are whole numbers");
        }
        return Optional.ofNullable(lookups.byIds(flow, List.of(id)).get(id));
    }

    /**
     * Finds the record whose stamp property holds {@code linkId}; see {@link #findByStamps}.
     *
     * @throws TransientCrmException when webCRM stays unreachable or a page stays unreadable
     * @throws PermanentCrmException when webCRM refuses the token or the query
     */
    @Override
    public Optional<SideRecord> findByStamp(Flow flow, String linkId) {
        return Optional.ofNullable(lookups.byStamps(flow, List.of(linkId)).get(linkId));
    }

    /**
     * Finds the records stamped with any of {@code linkIds}: one query per range of time-ordered link ids made
     * within a minute of each other, so the creates of one bulk write cost one request
     * ({@link WebcrmLookups#byStamps}). webCRM cannot make a person's custom field unique (API-NOTES §14), so
     * several records may carry one stamp; then the lowest id wins and a warning is logged. Rows whose stamp does
     * not match after all are ignored, as webCRM warns that filters on custom fields "may lead to incorrect
     * results".
     *
     * @throws TransientCrmException when webCRM stays unreachable or a page stays unreadable
     * @throws PermanentCrmException when webCRM refuses the token or the query
     */
    @Override
    public Map<String, SideRecord> findByStamps(Flow flow, Collection<String> linkIds) {
        return lookups.byStamps(flow, linkIds);
    }

    /**
     * Carries out writes as bulk upserts ({@code PATCH /{Collection}}, {@link WebcrmSettings#writeBatchSize()}
     * records each), creates confirmed by their stamps read back in one query per batch; deletes one request
     * each. See {@link WebcrmWriter}. A create stamps the record with its link id if the engine's properties do
     * not already.
     *
     * @throws PermanentCrmException when webCRM refuses the token
     */
    @Override
    public List<WriteOutcome> write(Flow flow, List<Write> writes) {
        return writer.write(flow, writes);
    }

    /**
     * Reads what the tenant has configured for the flow's entity: {@code GET /FieldsMetadata/{Entity}}
     * (API-NOTES §4.4). Not part of {@link Connector}: only webCRM labels generic slots per tenant, and only the
     * preflight and label lookups need it. Idempotent; one request, paced like every other.
     *
     * @param flow the flow
     * @return the configured fields, in webCRM's order; empty when the tenant has configured none
     * @throws TransientCrmException when webCRM stays unreachable or sends no readable list
     * @throws PermanentCrmException when webCRM refuses the token or the request
     * @see WebcrmTenantFields
     */
    public List<WebcrmFieldMetadata> fieldsMetadata(Flow flow) {
        return metadata.read(Objects.requireNonNull(flow, "flow"));
    }

    /**
     * Makes webCRM tell crmsync of every change to the flow's entity (API-NOTES §9): removes the token's hooks
     * whose {@code TargetUrl} starts with {@code callbackPrefix} (crmsync's, left from an earlier start), then
     * creates one enabled hook per event type ({@code Create}, {@code Update}, {@code Delete}, filter {@code All})
     * that POSTs to {@code targetUrl}. Not part of {@link Connector}: only the service uses hooks. Not idempotent
     * on its own, but calling it again replaces what the last call made. A few requests, paced like every other;
     * neither URL appears in a message or log.
     *
     * @param flow           the flow whose entity to watch
     * @param callbackPrefix what every crmsync hook's target URL starts with, e.g.
     *                       {@code https://sync.example.com/hooks/webcrm/}
     * @param targetUrl      where this start's hooks deliver; starts with {@code callbackPrefix}
     * @return how many leftover hooks were removed
     * @throws TransientCrmException when webCRM stays unreachable
     * @throws PermanentCrmException when webCRM refuses the token or a hook
     * @see #removeHooks
     */
    public int replaceHooks(Flow flow, String callbackPrefix, String targetUrl) {
        return new WebcrmHookClient(http).replace(Objects.requireNonNull(flow, "flow"), callbackPrefix, targetUrl);
    }

    /**
     * Removes the token's hooks of the flow's entity whose {@code TargetUrl} starts with {@code callbackPrefix}.
     * Idempotent: a hook already gone counts as removed.
     *
     * @param flow           the flow
     * @param callbackPrefix what every crmsync hook's target URL starts with
     * @return how many hooks were removed
     * @throws TransientCrmException when webCRM stays unreachable
     * @throws PermanentCrmException when webCRM refuses the token or a request
     */
    public int removeHooks(Flow flow, String callbackPrefix) {
        return new WebcrmHookClient(http).remove(Objects.requireNonNull(flow, "flow"), callbackPrefix);
    }

    /**
     * @return the records one bulk write carries now: {@code webcrm.write-batch-size}, or less once webCRM refused
     *         a batch of that size as a whole
     */
    public int writeBatchSize() {
        return writer.batchSize();
    }

    /**
     * @return the requests sent so far, logins and retries included
     */
    public long requestCount() {
        return http.requestCount();
    }

    /**
     * @return what is left of the configured pace ({@code webcrm.requests-per-minute}) in the current minute
     */
    public Optional<RateBudget> budget() {
        return http.budget();
    }

    /** Forgets the access token; the connector holds no other resources. */
    @Override
    public void close() {
        session.forget();
        http.close();
    }

    /** The login goes through the same client as everything else, so it is paced under the same quota. */
    private CrmHttpClient.Response sendLogin(String form) {
        // A login changes nothing on the server, so it may be repeated after a 5xx or a lost connection.
        return http.send("POST", "/Auth/ApiLogin", "application/x-www-form-urlencoded", form, Map.of(), true);
    }

    // ---------------------------------------------------------------- cursor arithmetic

    /** A safety read is due an overlap after the last one, which put the safe point an overlap before itself. */
    private boolean safetyDue(ChangeCursor cursor, Instant now) {
        if (cursor.safe() == null) {
            return true;
        }
        try {
            return !now.isBefore(time.instant(cursor.safe()).plus(settings.overlap().multipliedBy(2)));
        } catch (DateTimeException e) {
            return true;
        }
    }

    /** Where a safety read starts: the safe point, or for a cursor without one, an overlap before the greatest. */
    private String safePoint(ChangeCursor cursor) {
        if (cursor.safe() != null) {
            return cursor.safe();
        }
        try {
            return time.minus(cursor.updatedAt(), settings.overlap());
        } catch (DateTimeException e) {
            throw new PermanentCrmException("the stored webCRM cursor '" + cursor + "' is not a timestamp", e);
        }
    }

    /** The local time a read starts at: {@code start}, or the repeated hour if the clocks went back since. */
    private String windowStart(String start, Instant now) {
        try {
            return time.earliestBetween(time.instant(start), now);
        } catch (DateTimeException e) {
            throw new PermanentCrmException("the stored webCRM cursor position '" + start + "' is not a timestamp",
                    e);
        }
    }

    private boolean readable(String timestamp) {
        try {
            time.local(timestamp);
            return true;
        } catch (DateTimeException e) {
            log.atWarn().addKeyValue("updatedAt", timestamp).log("webCRM sent an unreadable UpdatedAt; ignored for the cursor");
            return false;
        }
    }

    private LocalDateTime local(String timestamp) {
        return time.local(timestamp);
    }

    private static Map<Flow, String> checkedStamps(Map<Flow, String> stamps) {
        Map<Flow, String> out = new EnumMap<>(Flow.class);
        for (Flow flow : Flow.values()) {
            String property = stamps.get(flow);
            if (property == null || !PROPERTY_NAME.matcher(property).matches()
                    || !property.startsWith(flow.webcrmEntity())) {
                throw new IllegalArgumentException(flow.configName() + ": the webCRM stamp property must be a "
                        + flow.webcrmEntity() + " property such as " + flow.webcrmEntity() + "Custom5, got "
                        + property);
            }
            out.put(flow, property);
        }
        return out;
    }
}
