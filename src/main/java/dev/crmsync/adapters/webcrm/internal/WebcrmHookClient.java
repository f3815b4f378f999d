package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.model.Flow;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * crmsync's own webCRM hooks (API-NOTES §9): {@code GET /{Entity}/Hooks} (the token's own hooks, paged until an
 * empty page), {@code POST /{Entity}/Hooks} and {@code DELETE /{Entity}/Hooks/{id}}.
 *
 * <p>crmsync's hooks are told apart from anyone else's by their {@code TargetUrl}: it starts with a callback
 * prefix that only crmsync uses ({@code <public-url>/hooks/webcrm/}). Whatever follows the prefix (the key of an
 * earlier start) does not matter, so hooks left behind by a start that never stopped are found and removed too.
 *
 * <p>No message or log line holds a {@code TargetUrl}: crmsync's carry the key that authenticates deliveries.
 *
 * <p>This class is threadsafe: it holds no state of its own.
 */
public final class WebcrmHookClient {

    /** The event types crmsync asks for: all of them, since each may change what a flow must sync. */
    public static final List<String> EVENT_TYPES = List.of("Create", "Update", "Delete");

    private static final int PAGE_SIZE = 1000;
    /** Far more pages than any tenant has hooks; stops a server that ignores {@code Page} from looping forever. */
    private static final int MAX_PAGES = 100;

    /**
     * One hook as listed.
     *
     * @param id        the hook's id
     * @param targetUrl where it is delivered
     * @param eventType {@code Create}, {@code Update} or {@code Delete}; empty when webCRM sent none
     */
    public record Hook(long id, String targetUrl, String eventType) {
    }

    private final CrmHttpClient http;

    /**
     * @param http the connector's client, which logs in, paces and retries
     */
    public WebcrmHookClient(CrmHttpClient http) {
        this.http = http;
    }

    /**
     * Removes crmsync's hooks of the flow's entity left from earlier starts, then makes one hook per event type
     * that POSTs to {@code targetUrl}, enabled and filtered to {@code All}.
     *
     * @param flow           the flow whose webCRM entity to watch
     * @param callbackPrefix what the target URL of every crmsync hook starts with
     * @param targetUrl      where this start's hooks deliver; must start with {@code callbackPrefix}
     * @return how many leftover hooks were removed
     * @throws TransientCrmException when webCRM stays unreachable
     * @throws PermanentCrmException when webCRM refuses the token or a request
     */
    public int replace(Flow flow, String callbackPrefix, String targetUrl) {
        if (!targetUrl.startsWith(callbackPrefix)) {
            throw new IllegalArgumentException("the target URL must start with the callback prefix");
        }
        int removed = remove(flow, callbackPrefix);
        for (String eventType : EVENT_TYPES) {
            create(flow, targetUrl, eventType);
        }
        return removed;
    }

    /**
     * Removes every hook of the flow's entity whose target URL starts with {@code callbackPrefix}. A hook that is
     * gone already (404) counts as removed.
     *
     * @param flow           the flow
     * @param callbackPrefix what the target URL of every crmsync hook starts with
     * @return how many hooks were removed
     * @throws TransientCrmException when webCRM stays unreachable
     * @throws PermanentCrmException when webCRM refuses the token or a request
     */
    public int remove(Flow flow, String callbackPrefix) {
        // All pages first: deleting while paging would shift the pages under the reader.
        List<Hook> ours = list(flow).stream().filter(h -> h.targetUrl().startsWith(callbackPrefix)).toList();
        for (Hook hook : ours) {
            delete(flow, hook.id());
        }
        return ours.size();
    }

    /**
     * @param flow the flow
     * @return the token's own hooks of the flow's entity, every page
     * @throws TransientCrmException when webCRM stays unreachable or sends an unreadable page
     * @throws PermanentCrmException when webCRM refuses the token or the request
     */
    public List<Hook> list(Flow flow) {
        String path = hooksPath(flow);
        List<Hook> hooks = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            CrmHttpClient.Response answer = http.send("GET", path + "?Page=" + page + "&Size=" + PAGE_SIZE, null,
                    null, Map.of());
            check("GET", path, answer);
            JsonNode rows = rows(path, answer.body());
            if (rows.isEmpty()) {
                return List.copyOf(hooks);
            }
            for (JsonNode row : rows) {
                Optional<String> id = WebcrmJson.idText(row.path("Id").isIntegralNumber()
                        ? row.path("Id").bigIntegerValue() : row.path("Id").asString(""));
                String url = row.path("TargetUrl").asString("");
                if (id.isPresent()) {
                    hooks.add(new Hook(Long.parseLong(id.get()), url, row.path("EventType").asString("")));
                }
            }
        }
        throw new PermanentCrmException("webCRM GET " + path + " kept answering pages past " + MAX_PAGES
                + "; it seems to ignore Page", null);
    }

    private void create(Flow flow, String targetUrl, String eventType) {
        String path = hooksPath(flow);
        Map<String, Object> dto = new LinkedHashMap<>();
        dto.put("Id", 0);
        dto.put("TargetUrl", targetUrl);
        dto.put("IsEnabled", true);
        dto.put("Filter", List.of("All"));
        dto.put("EventType", eventType);
        CrmHttpClient.Response answer = http.send("POST", path, "application/json", WebcrmJson.write(dto), Map.of());
        if (!answer.isSuccess()) {
            // webCRM might quote the URL back in its reason; the URL holds the key, so it never reaches a message.
            CrmHttpClient.Response masked = new CrmHttpClient.Response(answer.status(),
                    answer.body() == null ? null : answer.body().replace(targetUrl, "<crmsync callback URL>"),
                    answer.headers());
            check("POST", path, masked);
        }
    }

    private void delete(Flow flow, long id) {
        String path = hooksPath(flow) + "/" + id;
        CrmHttpClient.Response answer = http.send("DELETE", path, null, null, Map.of());
        if (answer.status() != 404) {
            check("DELETE", path, answer);
        }
    }

    private static JsonNode rows(String path, String body) {
        try {
            JsonNode rows = WebcrmJson.mapper().readTree(body);
            if (rows != null && rows.isArray()) {
                return rows;
            }
        } catch (JacksonException e) {
            // Reported below.
        }
        throw new TransientCrmException("webCRM GET " + path + " answered no readable JSON array", null);
    }

    private static void check(String method, String path, CrmHttpClient.Response answer) {
        if (answer.isSuccess()) {
            return;
        }
        if (answer.status() == 401 || answer.status() == 403) {
            throw new PermanentCrmException("webCRM refused the access token for " + method + " " + path + " ("
                    + answer.status() + "); the API token may lack the right to manage hooks", null);
        }
        throw new PermanentCrmException("webCRM answered " + method + " " + path + " with " + answer.status() + ": "
                + WebcrmJson.reason(answer.status(), answer.body()), null);
    }

    private static String hooksPath(Flow flow) {
        return "/" + flow.webcrmCollection() + "/Hooks";
    }
}
