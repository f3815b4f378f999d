package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import dev.crmsync.ports.Write;
import dev.crmsync.ports.WriteOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * Carries out the engine's writes on webCRM (API-NOTES §7): a create is {@code POST /{Collection}} with the id
 * {@code 0}; an update is a read-modify-write {@code PUT /{Collection}/{id}} of the whole object, because PUT
 * replaces the record and would clear every property left out; a delete is {@code DELETE /Products/{id}}, the only
 * DELETE webCRM has.
 *
 * <p>Work goes in two steps, so that a later change can batch it: first each write is <em>prepared</em> into the
 * DTO it sends (an update without a copy of its record reads it first), then the prepared writes are
 * <em>sent</em>, for now one request each. See {@link #send} for where a bulk {@code PATCH} fits.
 *
 * <p>Outcomes: a 2xx is {@link WriteOutcome.Done}; a 400 is {@link WriteOutcome.Rejected} with webCRM's message;
 * a 404 on update is Rejected, the record is gone; a {@link TransientCrmException} from the client (429s, 5xx,
 * dropped connections past its retries) is {@link WriteOutcome.Retry}, and since it says webCRM rather than the
 * record is in trouble, the writes after it are not sent but answered Retry too. A refused access token is a
 * {@link PermanentCrmException} for the whole call.
 *
 * <p>This class is threadsafe: it holds no state of its own.
 */
public final class WebcrmWriter {

    /** Finds a record by the link id in its stamp property. */
    @FunctionalInterface
    public interface StampLookup {
        /**
         * @param flow   the flow
         * @param linkId the link id
         * @return the stamped record, if any
         */
        Optional<SideRecord> find(Flow flow, String linkId);
    }

    /** A write turned into what goes over the wire, or already settled without a request. */
    private sealed interface Prepared {
        /** A create: the DTO to POST. */
        record Post(Write.Create write, Map<String, Object> body) implements Prepared {
        }

        /** An update: the full DTO to PUT. */
        record Put(Write.Update write, String id, Map<String, Object> body) implements Prepared {
        }

        /** A delete. */
        record Remove(Write.Delete write, String id) implements Prepared {
        }

        /** Settled while preparing: refused, or not sent because webCRM is unavailable. */
        record Settled(WriteOutcome outcome) implements Prepared {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WebcrmWriter.class);
    private static final String JSON = "application/json";

    private final CrmHttpClient http;
    private final WebcrmTime time;
    private final Map<Flow, String> stampProperties;
    private final StampLookup lookup;

    /**
     * @param http            the client every request goes through
     * @param time            how to read timestamps of records read back
     * @param stampProperties per flow, the custom field that holds the link id
     * @param lookup          finds a record by its stamp
     */
    public WebcrmWriter(CrmHttpClient http, WebcrmTime time, Map<Flow, String> stampProperties, StampLookup lookup) {
        this.http = http;
        this.time = time;
        this.stampProperties = Map.copyOf(stampProperties);
        this.lookup = lookup;
    }

    /**
     * @param flow   the flow
     * @param writes the writes, in order
     * @return one outcome per write, in the same order
     * @throws PermanentCrmException when webCRM refuses the access token
     */
    public List<WriteOutcome> write(Flow flow, List<Write> writes) {
        Unavailable unavailable = new Unavailable();
        List<Prepared> prepared = new ArrayList<>(writes.size());
        for (Write write : writes) {
            prepared.add(unavailable.guard(() -> prepare(flow, write)));
        }
        return send(flow, prepared, unavailable);
    }

    // ---------------------------------------------------------------- prepare

    private Prepared prepare(Flow flow, Write write) {
        return switch (write) {
            case Write.Create create -> new Prepared.Post(create, createBody(flow, create));
            case Write.Update update -> prepareUpdate(flow, update);
            case Write.Delete delete -> {
                if (flow != Flow.PRODUCTS) {
                    yield settled(new WriteOutcome.Rejected("webCRM's API cannot delete " + flow.webcrmCollection()));
                }
                yield WebcrmJson.idText(delete.recordId())
                        .<Prepared>map(id -> new Prepared.Remove(delete, id))
                        .orElseGet(() -> settled(notAnId(delete.recordId())));
            }
        };
    }

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

    private Prepared prepareUpdate(Flow flow, Write.Update update) {
        String idField = WebcrmScripts.idField(flow);
        SideRecord current = update.current();
        if (current == null) {
            // No copy to build the full object from: read it, one extra call that the engine's copies usually save.
            Read read = read(flow, update.recordId());
            if (read.refusal() != null) {
                return settled(read.refusal());
            }
            current = read.record();
        }
        if (WebcrmJson.idText(current.id()).isEmpty()) {
            return settled(notAnId(current.id()));
        }
        Map<String, Object> body = new LinkedHashMap<>(WebcrmRows.ownProperties(flow, current.properties()));
        body.putAll(update.properties());
        body.put(idField, WebcrmJson.idNumber(current.id()));
        return new Prepared.Put(update, current.id(), body);
    }

    /** What reading a record gave: the record, or the outcome of the write that needed it. */
    private record Read(SideRecord record, WriteOutcome refusal) {
    }

    /** GET /{Collection}/{id}: the record, or why the update cannot go ahead (a 404: the record is gone). */
    private Read read(Flow flow, String id) {
        String path = "/" + flow.webcrmCollection() + "/" + id;
        CrmHttpClient.Response answer = http.send("GET", path, null, null, Map.of());
        if (!answer.isSuccess()) {
            return new Read(null, refusal(answer, "GET", path, gone(flow, id)));
        }
        Map<String, Object> dto = null;
        try {
            dto = WebcrmJson.object(answer.body());
        } catch (JacksonException e) {
            // Handled below.
        }
        if (dto == null) {
            throw new TransientCrmException("webCRM GET " + path + " answered no readable JSON object", null);
        }
        return new Read(WebcrmRows.toRecord(flow, dto, time), null);
    }

    // ---------------------------------------------------------------- send

    /**
     * Sends the prepared writes one request each.
     *
     * <p>Batching goes here: the {@link Prepared.Post} and {@link Prepared.Put} items of one call can go as one
     * {@code PATCH /{Collection}} with their bodies as a JSON array (API-NOTES §7.3, a bulk upsert: id 0 inserts,
     * a known id replaces as PUT does). Its {@code string[]} answer maps back in order: a decimal id is
     * {@link WriteOutcome.Done} with that id, any other text is {@link WriteOutcome.Rejected} with it as the
     * reason. Deletes stay single requests; a transient failure of the PATCH makes every item Retry. Until the
     * format of those strings is confirmed against a live account, single requests are used.
     */
    private List<WriteOutcome> send(Flow flow, List<Prepared> prepared, Unavailable unavailable) {
        List<WriteOutcome> outcomes = new ArrayList<>(prepared.size());
        for (Prepared item : prepared) {
            Prepared sent = item instanceof Prepared.Settled ? item : unavailable.guard(() -> settled(switch (item) {
                case Prepared.Post post -> post(flow, post);
                case Prepared.Put put -> put(flow, put);
                case Prepared.Remove remove -> remove(flow, remove);
                case Prepared.Settled done -> done.outcome();
            }));
            outcomes.add(((Prepared.Settled) sent).outcome());
        }
        return outcomes;
    }

    private WriteOutcome post(Flow flow, Prepared.Post post) {
        String path = "/" + flow.webcrmCollection();
        CrmHttpClient.Response answer = http.send("POST", path, JSON, WebcrmJson.write(post.body()), Map.of());
        if (!answer.isSuccess()) {
            return refusal(answer, "POST", path, "the new " + flow.webcrmEntity() + " was not found");
        }
        Optional<String> id = WebcrmJson.createdId(answer.body(), WebcrmScripts.idField(flow));
        if (id.isEmpty()) {
            // POST /Organisations may answer 200 with no body (API-NOTES §7.1): find the new row by its stamp.
            id = lookup.find(flow, post.write().linkId()).map(SideRecord::id);
            if (id.isEmpty()) {
                return new WriteOutcome.Retry("webCRM took the new " + flow.webcrmEntity() + " but named no id, and "
                        + "no record carries its stamp yet; the create will be looked for again by its stamp");
            }
        }
        Map<String, Object> created = new LinkedHashMap<>(post.body());
        created.put(WebcrmScripts.idField(flow), WebcrmJson.idNumber(id.get()));
        log.atDebug().addKeyValue("flow", flow.configName()).addKeyValue("id", id.get())
                .addKeyValue("linkId", post.write().linkId()).log("created in webCRM");
        return new WriteOutcome.Done(new SideRecord(Side.WEBCRM, flow, id.get(), created, null, false));
    }

    private WriteOutcome put(Flow flow, Prepared.Put put) {
        String path = "/" + flow.webcrmCollection() + "/" + put.id();
        CrmHttpClient.Response answer = http.send("PUT", path, JSON, WebcrmJson.write(put.body()), Map.of());
        if (!answer.isSuccess()) {
            return refusal(answer, "PUT", path, gone(flow, put.id()));
        }
        return new WriteOutcome.Done(new SideRecord(Side.WEBCRM, flow, put.id(), put.body(), null, false));
    }

    private WriteOutcome remove(Flow flow, Prepared.Remove remove) {
        String path = "/" + flow.webcrmCollection() + "/" + remove.id();
        CrmHttpClient.Response answer = http.send("DELETE", path, null, null, Map.of());
        if (answer.isSuccess() || answer.status() == 404) {
            // A 404 means the record is already gone, which is what the delete wanted.
            return new WriteOutcome.Done(SideRecord.deletion(Side.WEBCRM, flow, remove.id(), null));
        }
        return refusal(answer, "DELETE", path, gone(flow, remove.id()));
    }

    // ---------------------------------------------------------------- outcomes

    private static WriteOutcome refusal(CrmHttpClient.Response answer, String method, String path,
                                        String notFound) {
        Optional<PermanentCrmException> token = refusedToken(answer, method, path);
        if (token.isPresent()) {
            throw token.get();
        }
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

    private static Prepared settled(WriteOutcome outcome) {
        return new Prepared.Settled(outcome);
    }

    private static WriteOutcome notAnId(String id) {
        return new WriteOutcome.Rejected("'" + id + "' is not a webCRM id");
    }

    /**
     * Remembers the first transient failure of a call: after it, the remaining writes are not sent but answered
     * Retry, rather than each waiting out the client's retries against a webCRM that is down or throttling.
     */
    private static final class Unavailable {
        private String reason;

        Prepared guard(Supplier<Prepared> step) {
            if (reason != null) {
                return settled(new WriteOutcome.Retry("not sent, webCRM was unavailable: " + reason));
            }
            try {
                return step.get();
            } catch (TransientCrmException e) {
                reason = e.getMessage();
                return settled(new WriteOutcome.Retry(e.getMessage()));
            }
        }
    }
}
