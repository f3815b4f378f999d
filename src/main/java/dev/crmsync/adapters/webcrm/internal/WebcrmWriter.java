package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.adapters.http.RequestTimeoutException;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Carries out the engine's writes on webCRM (API-NOTES §7) in as few requests as it can: creates and updates go
 * out together as bulk upserts, {@code PATCH /{Collection}} with an array of whole DTOs (id {@code 0} inserts, a
 * known id replaces the record as PUT does, so an update sends the whole object built from crmsync's copy of it);
 * deletes stay single {@code DELETE /Products/{id}} requests, the only DELETE webCRM has.
 *
 * <p><b>Updates cost no read.</b> An update carries the record as crmsync last read it, which every cycle's
 * incremental read keeps current. Updates of records crmsync holds no copy of are read first, all at once with
 * {@code /Queries} by id ({@link WebcrmLookups#byIds}), never one {@code GET} each.
 *
 * <p><b>Nothing is taken on trust.</b> webCRM documents only that the answer is a {@code string[]} of "assigned ids
 * for inserted … and error messages" (§7.3). Every create carries its link stamp, and after each bulk write the
 * creates are confirmed by reading their stamps back, one query for the whole batch
 * ({@link WebcrmLookups#byStamps}): a create found is done, with the record exactly as webCRM holds it; one not
 * found whose answer is an error message is refused with that message; one with no readable answer is left for
 * the outbox to look for again. An answer that is lost (a 5xx, a dropped connection) ends the same way, through
 * the same read, so a lost answer never makes a duplicate. Updates are idempotent: one whose outcome cannot be
 * told is answered {@link WriteOutcome.Retry}, and the next read shows whether it landed.
 *
 * <p><b>Batch size.</b> webCRM documents no limit. A batch refused as a whole (413, a timeout, or a 4xx that both
 * halves then pass) is halved until it passes, and the size that passed is kept for the connector's life. A 4xx
 * for one bad item (one half passes, the other fails down to the single item) costs about two requests per
 * halving and refuses that item alone, with webCRM's message. A configured batch size of 1 sends single
 * {@code POST} and {@code PUT} requests instead.
 *
 * <p>A transient failure (429s, 5xx, dropped connections past the client's retries) means webCRM rather than a
 * record is in trouble: the writes after it are not sent but answered Retry. A refused access token is a
 * {@link PermanentCrmException} for the whole call.
 *
 * <p>This class is threadsafe: its only state, the batch size that passed, is atomic.
 */
public final class WebcrmWriter {

    /** A create or update on its way into a bulk write: its place in the call, and the DTO it sends. */
    private record Upsert(int index, Write write, Map<String, Object> body) {
        boolean isCreate() {
            return write instanceof Write.Create;
        }

        String recordId() {
            return write instanceof Write.Update update ? update.recordId() : null;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WebcrmWriter.class);
    private static final String JSON = "application/json";

    private final CrmHttpClient http;
    private final Map<Flow, String> stampProperties;
    private final WebcrmLookups lookups;
    private final AtomicInteger batchSize;
    /** A configured batch size of 1 asks for webCRM's single-record routes, whose answers say more. */
    private final boolean configuredSingle;

    /**
     * @param http            the client every request goes through
     * @param stampProperties per flow, the custom field that holds the link id
     * @param lookups         finds records by stamp and by id
     * @param writeBatchSize  records per bulk write to start with; 1 sends single POST and PUT requests
     */
    public WebcrmWriter(CrmHttpClient http, Map<Flow, String> stampProperties, WebcrmLookups lookups,
                        int writeBatchSize) {
        if (writeBatchSize < 1) {
            throw new IllegalArgumentException("writeBatchSize must be >= 1: " + writeBatchSize);
        }
        this.http = http;
        this.stampProperties = Map.copyOf(stampProperties);
        this.lookups = lookups;
        this.batchSize = new AtomicInteger(writeBatchSize);
        this.configuredSingle = writeBatchSize == 1;
    }

    /**
     * @return the records one bulk write carries now: the configured size, or less after webCRM refused a batch
     */
    public int batchSize() {
        return batchSize.get();
    }

    /**
     * @param flow   the flow
     * @param writes the writes
     * @return one outcome per write, in the same order
     * @throws PermanentCrmException when webCRM refuses the access token
     */
    public List<WriteOutcome> write(Flow flow, List<Write> writes) {
        WriteOutcome[] outcomes = new WriteOutcome[writes.size()];
        Unavailable unavailable = new Unavailable();
        List<Upsert> upserts = new ArrayList<>();
        List<Integer> unread = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            switch (writes.get(i)) {
                case Write.Create create -> upserts.add(new Upsert(i, create, createBody(flow, create)));
                case Write.Update update when update.current() == null -> unread.add(i);
                case Write.Update update -> prepareUpdate(flow, i, update, update.current(), upserts, outcomes);
                case Write.Delete delete -> {
                    // Sent after the upserts, below.
                }
            }
        }
        readUnread(flow, writes, unread, upserts, outcomes, unavailable);
        upserts.sort(Comparator.comparingInt(Upsert::index));
        if (batchSize.get() == 1 && configuredSingle) {
            upserts.forEach(u -> outcomes[u.index()] = unavailable.guard(() -> single(flow, u)));
        } else {
            for (List<Upsert> batch : slices(upserts, batchSize.get())) {
                bulk(flow, batch, outcomes, unavailable);
            }
        }
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i) instanceof Write.Delete delete) {
                outcomes[i] = unavailable.guard(() -> remove(flow, delete));
            }
        }
        return List.of(outcomes);
    }

    // ---------------------------------------------------------------- prepare

    private Map<String, Object> createBody(Flow flow, Write.Create create) {
        String idField = WebcrmScripts.idField(flow);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(idField, 0);
        create.properties().forEach((name, value) -> {
            if (!name.equals(idField)) {
                body.put(name, value);
            }
        });
        // The stamp is what finds the record again after a lost answer; the engine sends it, and a create
        // without one would be a duplicate waiting to happen.
        body.putIfAbsent(stampProperties.get(flow), create.linkId());
        return body;
    }

    private void prepareUpdate(Flow flow, int index, Write.Update update, SideRecord current, List<Upsert> upserts,
                               WriteOutcome[] outcomes) {
        if (WebcrmJson.idText(current.id()).isEmpty()) {
            outcomes[index] = notAnId(current.id());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>(WebcrmRows.ownProperties(flow, current.properties()));
        body.putAll(update.properties());
        body.put(WebcrmScripts.idField(flow), WebcrmJson.idNumber(current.id()));
        upserts.add(new Upsert(index, update, body));
    }

    /** Reads the records of updates that came without a copy, all in one go, since PATCH replaces whole objects. */
    private void readUnread(Flow flow, List<Write> writes, List<Integer> unread, List<Upsert> upserts,
                            WriteOutcome[] outcomes, Unavailable unavailable) {
        if (unread.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>();
        for (int index : unread) {
            String id = ((Write.Update) writes.get(index)).recordId();
            if (WebcrmJson.idText(id).isEmpty()) {
                outcomes[index] = notAnId(id);
            } else {
                ids.add(id);
            }
        }
        Map<String, SideRecord> current = unavailable.run(() -> lookups.byIds(flow, ids)).orElse(null);
        for (int index : unread) {
            if (outcomes[index] != null) {
                continue;
            }
            Write.Update update = (Write.Update) writes.get(index);
            if (current == null) {
                outcomes[index] = unavailable.retry();
            } else if (!current.containsKey(update.recordId())) {
                outcomes[index] = new WriteOutcome.Rejected(gone(flow, update.recordId()));
            } else {
                prepareUpdate(flow, index, update, current.get(update.recordId()), upserts, outcomes);
            }
        }
    }

    // ---------------------------------------------------------------- bulk

    /**
     * Sends one bulk write and settles its items' outcomes.
     *
     * @return whether webCRM took the batch as a whole (answered 2xx), which tells a size problem from a bad item
     */
    private boolean bulk(Flow flow, List<Upsert> batch, WriteOutcome[] outcomes, Unavailable unavailable) {
        if (unavailable.isSet()) {
            batch.forEach(u -> outcomes[u.index()] = unavailable.retry());
            return false;
        }
        String path = "/" + flow.webcrmCollection();
        CrmHttpClient.Response answer;
        try {
            answer = http.send("PATCH", path, JSON, WebcrmJson.write(batch.stream().map(Upsert::body).toList()),
                    Map.of());
        } catch (RequestTimeoutException e) {
            // Too big to answer in time, perhaps carried out in part: keep what landed, send the rest in halves.
            List<Upsert> rest = confirm(flow, batch, outcomes, unavailable, e.getMessage());
            if (batch.size() > 1) {
                shrink(flow, batch.size() / 2, "no answer within the timeout");
            }
            if (rest.size() > 1 && !unavailable.isSet()) {
                halves(flow, rest, outcomes, unavailable);
            } else {
                rest.forEach(u -> outcomes[u.index()] = new WriteOutcome.Retry(e.getMessage()));
            }
            return false;
        } catch (TransientCrmException e) {
            List<Upsert> rest = confirm(flow, batch, outcomes, unavailable, e.getMessage());
            unavailable.set(e.getMessage());
            rest.forEach(u -> outcomes[u.index()] = new WriteOutcome.Retry(e.getMessage()));
            return false;
        }
        if (answer.isSuccess()) {
            settle(flow, batch, answer.body(), outcomes, unavailable);
            return true;
        }
        refusedToken(answer, "PATCH", path).ifPresent(e -> {
            throw e;
        });
        String reason = WebcrmJson.reason(answer.status(), answer.body());
        if (batch.size() == 1) {
            outcomes[batch.get(0).index()] = answer.status() == 413
                    ? new WriteOutcome.Rejected("the record is too large for webCRM (413): " + reason)
                    : new WriteOutcome.Rejected(reason);
            return false;
        }
        if (answer.status() == 413) {
            shrink(flow, batch.size() / 2, "413 " + reason);
            halves(flow, batch, outcomes, unavailable);
        } else if (halves(flow, batch, outcomes, unavailable)) {
            // Both halves passed on their own: it was the size that webCRM refused, not an item.
            shrink(flow, (batch.size() + 1) / 2, answer.status() + " " + reason);
        }
        return false;
    }

    /** Sends the two halves of a batch; returns whether webCRM took both as they were. */
    private boolean halves(Flow flow, List<Upsert> batch, WriteOutcome[] outcomes, Unavailable unavailable) {
        int middle = (batch.size() + 1) / 2;
        boolean first = bulk(flow, batch.subList(0, middle), outcomes, unavailable);
        boolean second = bulk(flow, batch.subList(middle, batch.size()), outcomes, unavailable);
        return first && second;
    }

    private void shrink(Flow flow, int size, String why) {
        int smaller = Math.max(1, size);
        int before = batchSize.getAndUpdate(current -> Math.min(current, smaller));
        if (smaller < before) {
            log.atInfo().addKeyValue("flow", flow.configName()).addKeyValue("from", before)
                    .addKeyValue("to", smaller).addKeyValue("reason", why)
                    .log("webCRM refused a bulk write as a whole; writing smaller batches from now on");
        }
    }

    /**
     * Settles the items of a bulk write webCRM answered with 2xx: creates by their stamps, read back in one query,
     * and by the answer where the stamps do not tell; updates by the answer.
     */
    private void settle(Flow flow, List<Upsert> batch, String body, WriteOutcome[] outcomes,
                        Unavailable unavailable) {
        List<String> said = WebcrmJson.answerTexts(body).orElse(null);
        boolean positional = said != null && said.size() == batch.size();
        // An answer that cannot be lined up with the items still tells something when it holds no error at all.
        boolean noErrors = said != null && !said.isEmpty() && said.stream().allMatch(WebcrmWriter::isSuccessText);
        Map<String, SideRecord> stamped = stamped(flow, batch, unavailable);
        for (int k = 0; k < batch.size(); k++) {
            Upsert upsert = batch.get(k);
            String text = positional ? said.get(k) : null;
            outcomes[upsert.index()] = upsert.isCreate()
                    ? createOutcome(flow, upsert, text, stamped)
                    : updateOutcome(flow, upsert, text, noErrors);
        }
    }

    private WriteOutcome createOutcome(Flow flow, Upsert upsert, String text, Map<String, SideRecord> stamped) {
        String linkId = upsert.write().linkId();
        if (stamped != null && stamped.containsKey(linkId)) {
            return new WriteOutcome.Done(stamped.get(linkId));
        }
        Optional<String> id = text == null ? Optional.empty() : WebcrmJson.idText(text);
        if (id.isPresent()) {
            if (stamped != null) {
                log.atWarn().addKeyValue("flow", flow.configName()).addKeyValue("linkId", linkId)
                        .addKeyValue("id", id.get())
                        .log("webCRM named the id of a create whose stamp could not be read back; taking the id");
            }
            Map<String, Object> created = new LinkedHashMap<>(upsert.body());
            created.put(WebcrmScripts.idField(flow), WebcrmJson.idNumber(id.get()));
            return new WriteOutcome.Done(new SideRecord(Side.WEBCRM, flow, id.get(), created, null, false));
        }
        if (text != null && !text.isBlank() && stamped != null) {
            return new WriteOutcome.Rejected(text.strip());
        }
        return new WriteOutcome.Retry("webCRM's answer to the bulk write did not say what became of this create, "
                + "and no record carries its stamp yet; it will be looked for again by its stamp");
    }

    private static WriteOutcome updateOutcome(Flow flow, Upsert upsert, String text, boolean noErrors) {
        if (text != null ? isSuccessText(text) : noErrors) {
            return new WriteOutcome.Done(new SideRecord(Side.WEBCRM, flow, upsert.recordId(), upsert.body(), null,
                    false));
        }
        if (text != null) {
            return new WriteOutcome.Rejected(text.strip());
        }
        return new WriteOutcome.Retry("webCRM's answer to the bulk write did not say what became of this update; "
                + "the next read shows whether it landed");
    }

    /** The creates of a batch as webCRM holds them, by link id; null when they could not be read back. */
    private Map<String, SideRecord> stamped(Flow flow, List<Upsert> batch, Unavailable unavailable) {
        List<String> linkIds = batch.stream().filter(Upsert::isCreate).map(u -> u.write().linkId()).toList();
        if (linkIds.isEmpty()) {
            return Map.of();
        }
        return unavailable.run(() -> lookups.byStamps(flow, linkIds)).orElse(null);
    }

    /**
     * After a bulk write whose answer is lost: the creates found by their stamps are done; the rest (creates not
     * found, every update) are returned, their outcome untold.
     */
    private List<Upsert> confirm(Flow flow, List<Upsert> batch, WriteOutcome[] outcomes, Unavailable unavailable,
                                 String why) {
        Map<String, SideRecord> stamped = stamped(flow, batch, unavailable);
        List<Upsert> rest = new ArrayList<>();
        for (Upsert upsert : batch) {
            SideRecord found = stamped == null || !upsert.isCreate() ? null : stamped.get(upsert.write().linkId());
            if (found != null) {
                outcomes[upsert.index()] = new WriteOutcome.Done(found);
            } else {
                rest.add(upsert);
            }
        }
        log.atInfo().addKeyValue("flow", flow.configName()).addKeyValue("items", batch.size())
                .addKeyValue("confirmed", batch.size() - rest.size()).addKeyValue("reason", why)
                .log("bulk write answer lost; confirmed the creates by their stamps");
        return rest;
    }

    private static boolean isSuccessText(String text) {
        return text.isBlank() || WebcrmJson.idText(text).isPresent();
    }

    // ---------------------------------------------------------------- single requests

    private WriteOutcome single(Flow flow, Upsert upsert) {
        return upsert.isCreate() ? post(flow, upsert) : put(flow, upsert);
    }

    private WriteOutcome post(Flow flow, Upsert post) {
        String path = "/" + flow.webcrmCollection();
        CrmHttpClient.Response answer = http.send("POST", path, JSON, WebcrmJson.write(post.body()), Map.of());
        if (!answer.isSuccess()) {
            return refusal(answer, "POST", path, "the new " + flow.webcrmEntity() + " was not found");
        }
        Optional<String> id = WebcrmJson.createdId(answer.body(), WebcrmScripts.idField(flow));
        if (id.isEmpty()) {
            // POST /Organisations may answer 200 with no body (API-NOTES §7.1): find the new row by its stamp.
            SideRecord found = lookups.byStamps(flow, List.of(post.write().linkId())).get(post.write().linkId());
            if (found == null) {
                return new WriteOutcome.Retry("webCRM took the new " + flow.webcrmEntity() + " but named no id, and "
                        + "no record carries its stamp yet; the create will be looked for again by its stamp");
            }
            return new WriteOutcome.Done(found);
        }
        Map<String, Object> created = new LinkedHashMap<>(post.body());
        created.put(WebcrmScripts.idField(flow), WebcrmJson.idNumber(id.get()));
        return new WriteOutcome.Done(new SideRecord(Side.WEBCRM, flow, id.get(), created, null, false));
    }

    private WriteOutcome put(Flow flow, Upsert put) {
        String path = "/" + flow.webcrmCollection() + "/" + put.recordId();
        CrmHttpClient.Response answer = http.send("PUT", path, JSON, WebcrmJson.write(put.body()), Map.of());
        if (!answer.isSuccess()) {
            return refusal(answer, "PUT", path, gone(flow, put.recordId()));
        }
        return new WriteOutcome.Done(new SideRecord(Side.WEBCRM, flow, put.recordId(), put.body(), null, false));
    }

    private WriteOutcome remove(Flow flow, Write.Delete delete) {
        if (flow != Flow.PRODUCTS) {
            return new WriteOutcome.Rejected("webCRM's API cannot delete " + flow.webcrmCollection());
        }
        Optional<String> id = WebcrmJson.idText(delete.recordId());
        if (id.isEmpty()) {
            return notAnId(delete.recordId());
        }
        String path = "/" + flow.webcrmCollection() + "/" + id.get();
        CrmHttpClient.Response answer = http.send("DELETE", path, null, null, Map.of());
        if (answer.isSuccess() || answer.status() == 404) {
            // A 404 means the record is already gone, which is what the delete wanted.
            return new WriteOutcome.Done(SideRecord.deletion(Side.WEBCRM, flow, id.get(), null));
        }
        return refusal(answer, "DELETE", path, gone(flow, id.get()));
    }

    // ---------------------------------------------------------------- outcomes

    private static WriteOutcome refusal(CrmHttpClient.Response answer, String method, String path,
                                        String notFound) {
        refusedToken(answer, method, path).ifPresent(e -> {
            throw e;
        });
        String reason = WebcrmJson.reason(answer.status(), answer.body());
        return switch (answer.status()) {
            case 400, 422 -> new WriteOutcome.Rejected(reason);
            case 404 -> new WriteOutcome.Rejected(notFound);
            case 409 -> new WriteOutcome.Retry("webCRM reported a conflict on " + method + " " + path + ": " + reason);
            default -> new WriteOutcome.Rejected("webCRM answered " + method + " " + path + " with "
                    + answer.status() + ": " + reason);
        };
    }

    private static Optional<PermanentCrmException> refusedToken(CrmHttpClient.Response answer, String method,
                                                                String path) {
        if (answer.status() != 401 && answer.status() != 403) {
            return Optional.empty();
        }
        return Optional.of(new PermanentCrmException("webCRM refused the access token for " + method + " " + path
                + " (" + answer.status() + "); check the token's access rights", null));
    }

    private static String gone(Flow flow, String id) {
        return flow.webcrmEntity() + " " + id + " no longer exists in webCRM";
    }

    private static WriteOutcome notAnId(String id) {
        return new WriteOutcome.Rejected("'" + id + "' is not a webCRM id");
    }

    private static <T> List<List<T>> slices(List<T> items, int size) {
        List<List<T>> slices = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            slices.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return slices;
    }

    /**
     * Remembers the first transient failure of a call: after it, the remaining writes are not sent but answered
     * Retry, rather than each waiting out the client's retries against a webCRM that is down or throttling.
     */
    private static final class Unavailable {
        private String reason;

        boolean isSet() {
            return reason != null;
        }

        void set(String why) {
            if (reason == null) {
                reason = why;
            }
        }

        WriteOutcome retry() {
            return new WriteOutcome.Retry("not sent, webCRM was unavailable: " + reason);
        }

        WriteOutcome guard(Supplier<WriteOutcome> step) {
            if (reason != null) {
                return retry();
            }
            try {
                return step.get();
            } catch (TransientCrmException e) {
                reason = e.getMessage();
                return new WriteOutcome.Retry(e.getMessage());
            } catch (JacksonException e) {
                return new WriteOutcome.Rejected("the properties cannot be written as JSON: " + e.getOriginalMessage());
            }
        }

        /** Runs a read the writes depend on; empty when webCRM is, or turns out to be, unavailable. */
        <T> Optional<T> run(Supplier<T> read) {
            if (reason != null) {
                return Optional.empty();
            }
            try {
                return Optional.of(read.get());
            } catch (TransientCrmException e) {
                reason = e.getMessage();
                return Optional.empty();
            }
        }
    }
}
