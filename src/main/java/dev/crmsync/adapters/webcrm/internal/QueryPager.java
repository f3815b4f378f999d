package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.adapters.http.CrmHttpClient;
import dev.crmsync.adapters.http.Sleeper;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads pages of {@code GET /Queries?script=…&Page=n&Size=m} (API-NOTES §6). Each page is a bare JSON array of
 * flat row objects; the end of data is an empty page (§3.2).
 *
 * <p>A page whose body does not parse is a passing fault (a proxy cut it off, the simulator's malformed-page
 * knob): the same page is asked for again after a growing pause, and when the attempts are spent the read fails
 * with a {@link TransientCrmException}. A page is never skipped, since a cursor that moved past unread rows would
 * lose them for good. Rate limits, 5xx and dropped connections are {@link CrmHttpClient}'s to retry.
 *
 * <p>This class is threadsafe.
 */
public final class QueryPager {

    private static final Logger log = LoggerFactory.getLogger(QueryPager.class);

    private final CrmHttpClient http;
    private final Sleeper sleeper;
    private final int malformedAttempts;
    private final Duration firstPause;

    /**
     * @param http              the client every request goes through
     * @param sleeper           how to wait between attempts at a malformed page
     * @param malformedAttempts how often to ask for a page whose body does not parse, at least 1
     * @param firstPause        the pause after the first malformed answer; it doubles after each further one
     */
    public QueryPager(CrmHttpClient http, Sleeper sleeper, int malformedAttempts, Duration firstPause) {
        if (malformedAttempts < 1) {
            throw new IllegalArgumentException("malformedAttempts must be >= 1: " + malformedAttempts);
        }
        this.http = http;
        this.sleeper = sleeper;
        this.malformedAttempts = malformedAttempts;
        this.firstPause = firstPause;
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
        Duration pause = firstPause;
        for (int attempt = 1; ; attempt++) {
            CrmHttpClient.Response answer = http.send("GET", path, null, null, Map.of());
            if (!answer.isSuccess()) {
                throw refused(answer);
            }
            Optional<List<Map<String, Object>>> rows = WebcrmJson.rows(answer.body());
            if (rows.isPresent()) {
                return rows.get();
            }
            if (attempt >= malformedAttempts) {
                throw new TransientCrmException("webCRM GET /Queries page " + page + " was not a readable JSON array "
                        + "after " + attempt + " attempts", null);
            }
            log.atWarn().addKeyValue("page", page).addKeyValue("attempt", attempt)
                    .log("webCRM sent an unreadable page; asking again");
            pauseFor(pause);
            pause = pause.multipliedBy(2);
        }
    }

    private void pauseFor(Duration pause) {
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientCrmException("webCRM read interrupted while waiting", e);
        }
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
