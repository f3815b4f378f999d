package dev.crmsync.adapters.customcrm;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.adapters.http.CrmHttpClient.Response;
import dev.crmsync.model.Flow;
import dev.crmsync.model.Secret;
import dev.crmsync.model.Side;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * crmsync's own webhook subscription on a Customcrm ({@code POST}/{@code GET /webhooks},
 * {@code DELETE /webhooks/{id}} of the contract): one subscription for all three record types, signed with a
 * secret crmsync chose.
 *
 * <p>crmsync's subscriptions are told apart from anyone else's by their {@code url}: it starts with a callback
 * prefix only crmsync uses ({@code <public-url>/hooks/customcrm}), so one left behind by a start that never stopped
 * is found and removed too.
 *
 * <p>Webhooks are optional in the contract: a Customcrm without them answers 404 or 405 on {@code /webhooks}, which
 * is reported as a {@link PermanentCrmException} saying so; polling works without them. No message holds the
 * secret or a subscription's URL.
 *
 * <p>This class is threadsafe: it holds no state of its own.
 */
final class CustomcrmWebhooks {

    private static final String SYSTEM = Side.CUSTOMCRM.label();
    private static final String PATH = "/webhooks";

    private final CrmHttpClient http;

    /**
     * @param http the connector's client
     */
    CustomcrmWebhooks(CrmHttpClient http) {
        this.http = http;
    }

    /**
     * Removes crmsync's subscriptions left from earlier starts, then subscribes {@code url} to changes of every
     * record type.
     *
     * @param callbackPrefix what the URL of every crmsync subscription starts with
     * @param url            where this start's deliveries go; starts with {@code callbackPrefix}
     * @param secret         the signing secret, at least 16 characters
     * @return the new subscription's id
     */
    String replace(String callbackPrefix, String url, Secret secret) {
        if (!url.startsWith(callbackPrefix)) {
            throw new IllegalArgumentException("the webhook URL must start with the callback prefix");
        }
        remove(callbackPrefix);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url);
        body.put("secret", secret.reveal());
        body.put("types", Arrays.stream(Flow.values()).map(Flow::customcrmCollection).toList());
        Response answer = http.send("POST", PATH, "application/json", RecordJson.write(body), Map.of());
        if (!answer.isSuccess()) {
            throw refused("POST", PATH, masked(answer, url, secret));
        }
        Object id = object("POST", answer).get("id");
        if (id == null || id.toString().isBlank()) {
            throw new PermanentCrmException(SYSTEM + " POST " + PATH + " answered no subscription id", null);
        }
        return id.toString();
    }

    /**
     * Removes every subscription whose URL starts with {@code callbackPrefix}; one already gone counts as removed.
     *
     * @param callbackPrefix what the URL of every crmsync subscription starts with
     * @return how many were removed
     */
    int remove(String callbackPrefix) {
        Response listed = http.send("GET", PATH, null, null, Map.of());
        if (!listed.isSuccess()) {
            throw refused("GET", PATH, listed);
        }
        List<String> ours = new ArrayList<>();
        if (object("GET", listed).get("items") instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> subscription && subscription.get("url") instanceof String target
                        && target.startsWith(callbackPrefix) && subscription.get("id") != null) {
                    ours.add(subscription.get("id").toString());
                }
            }
        }
        for (String id : ours) {
            String path = PATH + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            Response deleted = http.send("DELETE", path, null, null, Map.of());
            if (!deleted.isSuccess() && deleted.status() != 404 && deleted.status() != 410) {
                throw refused("DELETE", PATH + "/{id}", deleted);
            }
        }
        return ours.size();
    }

    private static Map<String, Object> object(String method, Response answer) {
        try {
            return RecordJson.object(answer.body());
        } catch (RecordJson.MalformedAnswer e) {
            throw new TransientCrmException(SYSTEM + " " + method + " " + PATH + " answered no readable JSON object",
                    e);
        }
    }

    private static RuntimeException refused(String method, String path, Response answer) {
        if (answer.status() == 401) {
            return new PermanentCrmException(SYSTEM + " refused the API key (401 on " + method + " " + path
                    + "); check customcrm.api-key", null);
        }
        if (answer.status() == 404 || answer.status() == 405 || answer.status() == 501) {
            return new PermanentCrmException(SYSTEM + " offers no webhooks (" + answer.status() + " on " + method
                    + " " + path + "); changes are found by polling only", null);
        }
        return new PermanentCrmException(SYSTEM + " " + method + " " + path + " answered "
                + ProblemAnswer.of(answer).reason(), null);
    }

    /** The answer with the URL and the secret cut out, in case the server quotes them back in a problem. */
    private static Response masked(Response answer, String url, Secret secret) {
        String body = answer.body() == null ? null
                : answer.body().replace(url, "<crmsync callback URL>").replace(secret.reveal(), "****");
        return new Response(answer.status(), body, answer.headers());
    }
}
