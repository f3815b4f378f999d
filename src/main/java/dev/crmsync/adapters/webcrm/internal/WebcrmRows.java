package dev.crmsync.adapters.webcrm.internal;

import dev.crmsync.model.Flow;
import dev.crmsync.model.Side;
import dev.crmsync.model.SideRecord;
import dev.crmsync.ports.PermanentCrmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns webCRM rows into {@link SideRecord}s.
 *
 * <p>A {@code /Queries} row carries more than the entity's own properties: internal columns such as
 * {@code RowNumber} or {@code p_lastUpdatedById}, and columns of related entities (API-NOTES §6.3). Like the
 * Singer tap that met them, the connector keeps only the columns that start with the entity's prefix
 * ({@code Person…} for persons); values pass through as webCRM sent them.
 *
 * <p>This class is threadsafe: it holds no state.
 */
public final class WebcrmRows {

    private WebcrmRows() {
    }

    /**
     * @param flow the flow
     * @param row  a row or DTO as webCRM sent it
     * @return the entity's own properties, in webCRM's order
     */
    public static Map<String, Object> ownProperties(Flow flow, Map<String, Object> row) {
        String prefix = flow.webcrmEntity();
        Map<String, Object> own = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            if (column.startsWith(prefix)) {
                own.put(column, value);
            }
        });
        return own;
    }

    /**
     * @param flow the flow
     * @param row  a row or DTO as webCRM sent it
     * @param time how to read {@code …UpdatedAt}
     * @return the record: id from {@code …Id}, modified at {@code …UpdatedAt} (null when absent or unreadable)
     * @throws PermanentCrmException when the row has no usable id
     */
    public static SideRecord toRecord(Flow flow, Map<String, Object> row, WebcrmTime time) {
        String idField = WebcrmScripts.idField(flow);
        String id = WebcrmJson.idText(row.get(idField)).orElseThrow(() -> new PermanentCrmException(
                "webCRM sent a " + flow.webcrmEntity() + " without a usable " + idField + ": " + row.get(idField),
                null));
        return new SideRecord(Side.WEBCRM, flow, id, ownProperties(flow, row), modifiedAt(flow, row, time), false);
    }

    /**
     * @param flow the flow
     * @param row  a row
     * @return its {@code …UpdatedAt} text, or null
     */
    public static String updatedAt(Flow flow, Map<String, Object> row) {
        Object value = row.get(flow.webcrmEntity() + "UpdatedAt");
        return value instanceof String text && !text.isBlank() ? text : null;
    }

    private static Instant modifiedAt(Flow flow, Map<String, Object> row, WebcrmTime time) {
        String text = updatedAt(flow, row);
        if (text == null) {
            return null;
        }
        try {
            return time.instant(text);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
