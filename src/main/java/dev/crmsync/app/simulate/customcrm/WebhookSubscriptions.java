package dev.crmsync.app.simulate.customcrm;

import dev.crmsync.app.simulate.HookDelivery;
import dev.crmsync.app.simulate.customcrm.CustomcrmValidator.FieldError;
import dev.crmsync.app.simulate.customcrm.Problem.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference server's webhook subscriptions and their signed, asynchronous delivery (the contract's
 * {@code /webhooks} and its {@code recordChanged} webhook).
 *
 * <p>After every change a record makes (create, update, delete; a write that changes nothing is no change), each
 * subscription to its type gets {@code POST <url>} with
 * {@code {"type":"customers","id":"cus_1","event":"updated","version":2,"occurred_at":"…"}} and the header
 * {@code Customcrm-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>} (see
 * {@link WebhookSignature}). Delivery never holds up the write; it is tried once, and a failure (no answer within
 * 10 s, a status other than 2xx) is logged and dropped: a receiver that missed a delivery finds the change in the
 * feed. Deliveries may arrive out of order; {@code version} tells a receiver which is newer.
 *
 * <p>Subscriptions live in memory, for the life of the server: crmsync subscribes anew on every start anyway. The
 * secret is never answered, logged or put in a problem.
 *
 * <p>This class is threadsafe.
 */
final class WebhookSubscriptions implements AutoCloseable {

    /** What happened to a record, as the delivery's {@code event} names it. */
    enum Event {
        CREATED, UPDATED, DELETED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int MAX_URL_LENGTH = 2048;
    private static final int MIN_SECRET_LENGTH = 16;
    private static final int MAX_SECRET_LENGTH = 256;

    /** One subscription; the secret stays in here. */
    private record Subscription(String id, String url, String secret, List<RecordType> types, Instant createdAt) {
    }

    private final InstantSource clock;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final HookDelivery delivery;
    private long lastId;

    /**
     * @param clock    the time of {@code created_at} and of the signatures
     * @param delivery how the deliveries go out; closed with the subscriptions
     */
    WebhookSubscriptions(InstantSource clock, HookDelivery delivery) {
        this.clock = clock;
        this.delivery = delivery;
    }

    /**
     * @param body {@code {url, secret, types}}
     * @return the subscription as answered: {@code {id, url, types, created_at}}, never the secret
     * @throws ProblemException 422 listing every field that is not valid
     */
    synchronized ObjectNode create(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        String url = url(body.get("url"), errors);
        String secret = secret(body.get("secret"), errors);
        List<RecordType> types = types(body.get("types"), errors);
        if (!errors.isEmpty()) {
            throw Problem.of(Type.VALIDATION_FAILED, "not valid: " + String.join(", ",
                    errors.stream().map(FieldError::field).toList())).with("errors", errors).toException();
        }
        String id = "whk_" + ++lastId;
        Subscription subscription = new Subscription(id, url, secret, types,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        subscriptions.put(id, subscription);
        return toJson(subscription);
    }

    /**
     * @return every subscription, oldest first, without secrets
     */
    synchronized List<ObjectNode> list() {
        return subscriptions.values().stream().map(WebhookSubscriptions::toJson).toList();
    }

    /**
     * @param id a subscription's id
     * @throws ProblemException 404 when there is no such subscription
     */
    synchronized void delete(String id) {
        if (subscriptions.remove(id) == null) {
            throw Problem.of(Type.NOT_FOUND, "no webhook subscription has the id " + id).toException();
        }
    }

    /**
     * Sends the change to every subscription of the record's type, without waiting for any. Called once the change
     * is committed, so a receiver that reads at once sees it.
     *
     * @param record the record after the change (a tombstone after a delete)
     * @param event  what happened
     */
    void changed(StoredRecord record, Event event) {
        List<Subscription> targets;
        synchronized (this) {
            targets = subscriptions.values().stream().filter(s -> s.types().contains(record.type())).toList();
        }
        if (targets.isEmpty()) {
            return;
        }
        ObjectNode payload = CustomcrmJson.MAPPER.createObjectNode();
        payload.put("type", record.type().path());
        payload.put("id", record.id());
        payload.put("event", event.wireName());
        payload.put("version", record.version());
        payload.put("occurred_at", CustomcrmJson.timestamp(record.updatedAt()));
        byte[] body = CustomcrmJson.MAPPER.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8);
        long now = clock.instant().getEpochSecond();
        targets.forEach(s -> delivery.send(s.url(), body,
                Map.of(WebhookSignature.HEADER, WebhookSignature.header(s.secret(), now, body)), s.id()));
    }

    /**
     * @return deliveries sent off so far; counted before {@link #changed} returns
     */
    long dispatched() {
        return delivery.dispatched();
    }

    /**
     * @return deliveries that have completed so far, answered 2xx or failed
     */
    long completed() {
        return delivery.delivered() + delivery.failed();
    }

    /**
     * @return deliveries that failed so far
     */
    long failed() {
        return delivery.failed();
    }

    /** Stops delivering; deliveries under way are abandoned. */
    @Override
    public void close() {
        delivery.close();
    }

    private static ObjectNode toJson(Subscription subscription) {
        ObjectNode out = CustomcrmJson.MAPPER.createObjectNode();
        out.put("id", subscription.id());
        out.put("url", subscription.url());
        ArrayNode types = out.putArray("types");
        subscription.types().forEach(t -> types.add(t.path()));
        out.put("created_at", CustomcrmJson.timestamp(subscription.createdAt()));
        return out;
    }

    private static String url(JsonNode value, List<FieldError> errors) {
        String text = value != null && value.isString() ? value.asString().strip() : "";
        if (!text.isEmpty() && text.length() <= MAX_URL_LENGTH) {
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return text;
                }
            } catch (URISyntaxException e) {
                // Reported below.
            }
        }
        errors.add(new FieldError("url", "must be an absolute http or https URL of at most " + MAX_URL_LENGTH
                + " characters"));
        return null;
    }

    private static String secret(JsonNode value, List<FieldError> errors) {
        String text = value != null && value.isString() ? value.asString() : "";
        if (text.length() < MIN_SECRET_LENGTH || text.length() > MAX_SECRET_LENGTH) {
            errors.add(new FieldError("secret", "must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH
                    + " characters"));
        }
        return text;
    }

    private static List<RecordType> types(JsonNode value, List<FieldError> errors) {
        Set<RecordType> types = new LinkedHashSet<>();
        boolean valid = value != null && value.isArray() && !value.isEmpty();
        if (valid) {
            for (JsonNode item : value) {
                try {
                    valid &= item.isString() && types.add(RecordType.fromPath(item.asString()));
                } catch (IllegalArgumentException e) {
                    valid = false;
                }
            }
        }
        if (!valid) {
            errors.add(new FieldError("types", "must list one or more of customers, contacts, products, each once"));
        }
        return List.copyOf(types);
    }
}
