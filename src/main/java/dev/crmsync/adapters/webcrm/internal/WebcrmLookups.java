package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.model.Flow;
import dev.crmsync.model.LinkIds;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.PermanentCrmException;
import dev.crmsync.ports.TransientCrmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds many webCRM records in few {@code /Queries} requests: by the link ids stamped on them, and by their ids.
 *
 * <p><b>By stamp.</b> Link ids are time-ordered ({@link LinkIds}), and the creates of one bulk write carry ids
 * made one after another, so their stamps fill a narrow range. One query reads the range,
 * {@code WHERE stamp >= 'first' AND stamp <= 'last'}, however many stamps it holds, where a list of 500 stamps
 * would not fit in a URL. Stamps made more than {@link #CLUSTER_SPAN_MILLIS} apart (a create retried from an
 * earlier cycle) get a range of their own, so that a range never spans the creates of a long time. Rows whose stamp
 * is not one of those asked for (another create made in the same instant) are ignored, as are rows whose stamp does
 * not match after all: webCRM warns that filters on custom fields "may lead to incorrect results". Link ids that
 * carry no time (random UUIDs of older stores) are looked up by equality, a few per query.
 *
 * <p><b>By id.</b> {@code WHERE {Entity}Id IN (…)}, as many ids per query as keep the URL under
 * {@link #MAX_SCRIPT_LENGTH} characters.
 *
 * <p>Errors as {@link QueryPager}: {@link TransientCrmException} when webCRM stays unreachable,
 * {@link PermanentCrmException} when it refuses the token or the query.
 *
 * <p>This class is threadsafe: it holds no state of its own.
 */
public final class WebcrmLookups {

    /** Stamps made within this span share one range query; a minute of creates at full speed is a few pages. */
    static final long CLUSTER_SPAN_MILLIS = 60_000;
    /** Random link ids per equality query; each costs some 60 characters of URL. */
    static final int EQUALITY_STAMPS_PER_QUERY = 20;
    /**
     * The longest script sent: well under the 8 KB request line most servers accept, with room for the encoding
     * of quotes and spaces. webCRM documents no limit.
     */
    static final int MAX_SCRIPT_LENGTH = 3_000;
    /** webCRM's page size ceiling (API-NOTES §3.2). */
    private static final int PAGE_SIZE = 1000;

    private static final Logger log = LoggerFactory.getLogger(WebcrmLookups.class);

    private final QueryPager pager;
    private final WebcrmTime time;
    private final Map<Flow, String> stampProperties;

    /**
     * @param pager           reads {@code /Queries} pages
     * @param time            how to read the rows' timestamps
     * @param stampProperties per flow, the custom field that holds the link id
     */
    public WebcrmLookups(QueryPager pager, WebcrmTime time, Map<Flow, String> stampProperties) {
        this.pager = pager;
        this.time = time;
        this.stampProperties = Map.copyOf(stampProperties);
    }

    /**
     * @param flow    the flow
     * @param linkIds the link ids to look for
     * @return the record stamped with each link id found; where several carry one stamp (webCRM cannot make a
     *         person's custom field unique, API-NOTES §14), the lowest id, with a warning logged
     */
    public Map<String, SideRecord> byStamps(Flow flow, Collection<String> linkIds) {
        Map<String, List<SideRecord>> found = new HashMap<>();
        List<String> ordered = new ArrayList<>();
        List<String> random = new ArrayList<>();
        for (String linkId : new LinkedHashSet<>(linkIds)) {
            (LinkIds.isTimeOrdered(linkId.strip()) ? ordered : random).add(linkId.strip());
        }
        for (List<String> cluster : clusters(ordered)) {
            readRange(flow, cluster, found);
        }
        for (int from = 0; from < random.size(); from += EQUALITY_STAMPS_PER_QUERY) {
            List<String> group = random.subList(from, Math.min(random.size(), from + EQUALITY_STAMPS_PER_QUERY));
            readAll(flow, WebcrmScripts.byStamps(flow, stampProperties.get(flow), group), Set.copyOf(lower(group)),
                    found);
        }
        Map<String, SideRecord> result = new LinkedHashMap<>();
        for (String linkId : linkIds) {
            List<SideRecord> stamped = found.get(linkId.strip().toLowerCase(Locale.ROOT));
            if (stamped == null || stamped.isEmpty()) {
                continue;
            }
            stamped.sort(Comparator.comparingLong(r -> Long.parseLong(r.id())));
            if (stamped.size() > 1) {
                log.atWarn().addKeyValue("flow", flow.configName()).addKeyValue("linkId", linkId)
                        .addKeyValue("ids", stamped.stream().map(SideRecord::id).toList())
                        .log("several webCRM records carry one link stamp; using the lowest id");
            }
            result.put(linkId, stamped.get(0));
        }
        return result;
    }

    /**
     * @param flow the flow
     * @param ids  record ids in decimal
     * @return the records found, by id; ids webCRM no longer has are left out
     */
    public Map<String, SideRecord> byIds(Flow flow, Collection<String> ids) {
        Map<String, SideRecord> found = new LinkedHashMap<>();
        List<String> pending = List.copyOf(new TreeSet<>(ids));
        int from = 0;
        while (from < pending.size()) {
            int to = from;
            int length = WebcrmScripts.byIds(flow, List.of()).length();
            while (to < pending.size() && (to == from || length + pending.get(to).length() + 2 <= MAX_SCRIPT_LENGTH)) {
                length += pending.get(to).length() + 2;
                to++;
            }
            List<String> chunk = pending.subList(from, to);
            Set<String> wanted = Set.copyOf(chunk);
            for (int page = 1; ; page++) {
                List<Map<String, Object>> rows = pager.page(WebcrmScripts.byIds(flow, chunk), page, PAGE_SIZE);
                for (Map<String, Object> row : rows) {
                    SideRecord record = WebcrmRows.toRecord(flow, row, time);
                    if (wanted.contains(record.id())) {
                        found.put(record.id(), record);
                    }
                }
                if (rows.size() < PAGE_SIZE) {
                    break;
                }
            }
            from = to;
        }
        return found;
    }

    /** Splits time-ordered link ids into runs whose first and last were made at most the cluster span apart. */
    static List<List<String>> clusters(List<String> linkIds) {
        List<String> sorted = new ArrayList<>(lower(linkIds));
        sorted.sort(Comparator.naturalOrder());
        List<List<String>> clusters = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long start = 0;
        for (String linkId : sorted) {
            long millis = LinkIds.millisOf(linkId);
            if (!current.isEmpty() && millis - start > CLUSTER_SPAN_MILLIS) {
                clusters.add(current);
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                start = millis;
            }
            current.add(linkId);
        }
        if (!current.isEmpty()) {
            clusters.add(current);
        }
        return clusters;
    }

    private void readRange(Flow flow, List<String> cluster, Map<String, List<SideRecord>> found) {
        String script = WebcrmScripts.stampsBetween(flow, stampProperties.get(flow), cluster.get(0),
                cluster.get(cluster.size() - 1));
        readAll(flow, script, Set.copyOf(cluster), found);
    }

    /**
     * Reads pages until every wanted stamp has been seen or a page comes back empty. A short page is not taken for
     * the end while stamps are missing, since a server that caps the page size below the one asked for sends
     * short pages too; it costs one more request only when a create did not land.
     */
    private void readAll(Flow flow, String script, Set<String> wanted, Map<String, List<SideRecord>> found) {
        String stamp = stampProperties.get(flow);
        Set<String> missing = new HashSet<>(wanted);
        for (int page = 1; ; page++) {
            List<Map<String, Object>> rows = pager.page(script, page, PAGE_SIZE);
            for (Map<String, Object> row : rows) {
                Object value = row.get(stamp);
                String text = value == null ? null : String.valueOf(value).strip().toLowerCase(Locale.ROOT);
                if (text != null && wanted.contains(text)) {
                    found.computeIfAbsent(text, k -> new ArrayList<>()).add(WebcrmRows.toRecord(flow, row, time));
                    missing.remove(text);
                }
            }
            if (rows.isEmpty() || missing.isEmpty()) {
                return;
            }
        }
    }

    private static List<String> lower(List<String> linkIds) {
        return linkIds.stream().map(id -> id.toLowerCase(Locale.ROOT)).toList();
    }
}
