package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Reads pages of {@code GET /Queries?script=…&Page=n&Size=m} (API-NOTES §6). Each page is a bare JSON array of
 * flat row objects; the end of data is an empty page (§3.2).
 *
 * <p>A page whose body does not parse is a passing fault (a proxy cut it off, the simulator's malformed-page
 * knob): {@link CrmHttpClient#read} asks for the same page again under the one retry policy, and when the attempts
 * are spent the read fails with a {@link TransientCrmException}. A page is never skipped, since a cursor that moved
 * past unread rows would lose them for good.
 *
 * <p>This class is threadsafe.
 */
public final class QueryPager {

    private final CrmHttpClient http;

    /**
     * @param http the client every request goes through
     */
    public QueryPager(CrmHttpClient http) {
        this.http = http;
    }

    /**
     * @param script the query, e.g. {@code SELECT * FROM Person ORDER BY PersonUpdatedAt}
     * @param page   the page, from 1
     * @param size   rows per page, 1 to 1000
     * @return the page's rows, in order; empty past the end
     * @throws TransientCrmException when webCRM stays unreachable or keeps sending unreadable pages
     * @throws PermanentCrmException when webCRM refuses the query or the token
     */
    public List<Map<String, Object>> page(String script, int page, int size) {
        String path = "/Queries?script=" + encode(script) + "&Page=" + page + "&Size=" + size;
        return http.read(path, answer -> {
            if (!answer.isSuccess()) {
                throw refused(answer);
            }
            return WebcrmJson.rows(answer.body()).orElseThrow(() -> new CrmHttpClient.UnreadableAnswerException(
                    "page " + page + " was not a readable JSON array of rows"));
        });
    }
    private static PermanentCrmException refused(CrmHttpClient.Response answer) {
        String reason = WebcrmJson.reason(answer.status(), answer.body());
        if (answer.status() == 401 || answer.status() == 403) {
            return new PermanentCrmException("webCRM refused the access token for GET /Queries ("
                    + answer.status() + ")", null);
        }
        return new PermanentCrmException("webCRM refused the query (" + answer.status() + "): " + reason, null);
    }

    /** Encodes a query parameter; a space becomes {@code %20}, which every server reads as a space. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
