package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.model.Flow;
import java.util.List;

/**
 * The {@code /Queries} scripts the connector sends, in the dialect of API-NOTES §6.2: tables named after the
 * entity in the singular, columns named as the DTO properties, text literals in {@code '…'} with {@code ''} for
 * an embedded quote.
 *
 * <p>Every script orders by a key that ends in the id, so that paging by page number is stable even where
 * several rows share one timestamp: webCRM documents no tie-break, and a database paging over a non-unique order
 * may repeat one row and skip another.
 *
 * <p>This class is threadsafe: it holds no state.
 */
public final class WebcrmScripts {

    private WebcrmScripts() {
    }

    /**
     * @param flow the flow
     * @param from the earliest {@code …UpdatedAt} to read, offset-less local time; null for everything
     * @return the records changed at or after {@code from}, oldest change first
     */
    public static String changesSince(Flow flow, String from) {
        String entity = flow.webcrmEntity();
        String updatedAt = entity + "UpdatedAt";
        return "SELECT * FROM " + entity
                + (from == null ? "" : " WHERE " + updatedAt + " >= " + literal(from))
                + " ORDER BY " + updatedAt + ", " + idField(flow);
    }

    /**
     * @param flow      the flow
     * @param updatedAt the {@code …UpdatedAt} of the last record read, as webCRM wrote it
     * @param id        that record's id
     * @return the records after it in the order {@code …UpdatedAt, …Id}: a keyed next page, which no edit made
     *         during the read can shift
     */
    public static String changesAfter(Flow flow, String updatedAt, long id) {
        String entity = flow.webcrmEntity();
        String stamp = entity + "UpdatedAt";
        return "SELECT * FROM " + entity + " WHERE " + stamp + " > " + literal(updatedAt) + " OR (" + stamp + " = "
                + literal(updatedAt) + " AND " + idField(flow) + " > " + id + ") ORDER BY " + stamp + ", "
                + idField(flow);
    }

    /**
     * Lists ids by key rather than by page number: a record deleted during the listing then cannot shift a page
     * boundary and hide a record that still exists, which the engine would take for a delete.
     *
     * @param flow  the flow
     * @param after the greatest id listed so far, 0 at the start
     * @return the ids greater than {@code after}, ascending
     */
    public static String idsAfter(Flow flow, long after) {
        String id = idField(flow);
        return "SELECT " + id + " FROM " + flow.webcrmEntity() + " WHERE " + id + " > " + after + " ORDER BY " + id;
    }

    /**
     * @param flow          the flow
     * @param stampProperty the custom field holding the link id
     * @param linkId        the link id
     * @return the records stamped with {@code linkId}, lowest id first
     */
    public static String byStamp(Flow flow, String stampProperty, String linkId) {
        return "SELECT * FROM " + flow.webcrmEntity() + " WHERE " + stampProperty + " = " + literal(linkId)
                + " ORDER BY " + idField(flow);
    }

    /**
     * @param flow          the flow
     * @param stampProperty the custom field holding the link id
     * @param linkIds       link ids
     * @return the records stamped with any of them, lowest id first
     */
    public static String byStamps(Flow flow, String stampProperty, List<String> linkIds) {
        return "SELECT * FROM " + flow.webcrmEntity() + " WHERE "
                + String.join(" OR ", linkIds.stream().map(id -> stampProperty + " = " + literal(id)).toList())
                + " ORDER BY " + idField(flow);
    }

    /**
     * @param flow          the flow
     * @param stampProperty the custom field holding the link id
     * @param first         the least link id of the range
     * @param last          the greatest link id of the range
     * @return the records whose stamp lies in the range, lowest id first
     */
    public static String stampsBetween(Flow flow, String stampProperty, String first, String last) {
        return "SELECT * FROM " + flow.webcrmEntity() + " WHERE " + stampProperty + " >= " + literal(first)
                + " AND " + stampProperty + " <= " + literal(last) + " ORDER BY " + idField(flow);
    }

    /**
     * @param flow the flow
     * @param ids  record ids in decimal
     * @return those records, lowest id first
     */
    public static String byIds(Flow flow, List<String> ids) {
        return "SELECT * FROM " + flow.webcrmEntity() + " WHERE " + idField(flow) + " IN ("
                + String.join(",", ids) + ") ORDER BY " + idField(flow);
    }

    /**
     * @param flow the flow
     * @return the entity's id property, e.g. {@code PersonId}
     */
    public static String idField(Flow flow) {
        return flow.webcrmEntity() + "Id";
    }

    /**
     * @param text any text
     * @return the text as a quoted literal, {@code '} doubled
     */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
