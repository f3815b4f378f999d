package dev.crmsync.app.simulate.webcrm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed script of webCRM's {@code GET /Queries} dialect (API-NOTES §6), as far as a sync needs it:
 *
 * <pre>
 * SELECT * | column [, column ...] FROM Organisation | Person | Product [[AS] alias]
 *   [WHERE condition] [ORDER BY column [ASC | DESC] [, ...]]
 *
 * condition := condition OR condition | condition AND condition | NOT condition | ( condition )
 *            | operand (= | &lt;&gt; | != | &lt; | &lt;= | &gt; | &gt;=) operand
 *            | operand IS [NOT] NULL | operand [NOT] LIKE 'pattern' | operand [NOT] IN (literal, ...)
 * operand   := column | alias.column | 'text' | number | NULL
 * </pre>
 *
 * Keywords, table and column names ignore letter case; text comparisons do too. A literal compared with a
 * date-time column is read as a {@link WebcrmTimestamps} input: a naive one as Copenhagen local time, one with
 * {@code Z} or an offset converted to it. JOINs and functions are not supported and are refused with a message.
 *
 * <p>Rows come back as flat objects of the selected columns in the order selected, followed by webCRM's
 * internal {@code RowNumber} column (API-NOTES §6.3), numbered from 1 across all pages. Without ORDER BY, rows
 * come in id order; with it, ties are broken by id, so paging is stable.
 *
 * <p>This class is threadsafe: it is immutable.
 */
public final class QueryScript {

    /** The column webCRM adds to every query row. */
    public static final String ROW_NUMBER = "RowNumber";

    /**
     * One {@code ORDER BY} item.
     *
     * @param field      the column
     * @param descending true for {@code DESC}
     */
    record Ordering(WebcrmField field, boolean descending) {
    }

    private final WebcrmEntity entity;
    private final List<WebcrmField> columns;
    private final QueryCondition condition;
    private final List<Ordering> orderings;

    QueryScript(WebcrmEntity entity, List<WebcrmField> columns, QueryCondition condition, List<Ordering> orderings) {
        this.entity = entity;
        this.columns = List.copyOf(columns);
        this.condition = condition;
        this.orderings = List.copyOf(orderings);
    }

    /**
     * @param script the script as sent in {@code ?script=}
     * @return the parsed script
     * @throws QueryException saying what is wrong, for a syntax error or an unknown table or column
     */
    public static QueryScript parse(String script) {
        return new QueryParser(script).parse();
    }

    /**
     * @return the table queried
     */
    public WebcrmEntity entity() {
        return entity;
    }

    /**
     * @return the selected columns, in order; all of the entity's for {@code SELECT *}
     */
    public List<WebcrmField> columns() {
        return columns;
    }

    /**
     * Runs the script over the records of its table.
     *
     * @param records all records of {@link #entity()}, in id order
     * @return the selected rows in result order, each the selected columns plus {@value #ROW_NUMBER}
     */
    public List<Map<String, Object>> run(List<Map<String, Object>> records) {
        return run(records, 0, Integer.MAX_VALUE);
    }

    /**
     * Runs the script and keeps only some of its rows: a page, without building the rows of the others.
     *
     * @param records all records of {@link #entity()}, or at least those it {@link #selects}, in id order
     * @param from    the index of the first row to keep
     * @param count   how many rows to keep at most
     * @return those rows, each the selected columns plus {@value #ROW_NUMBER}, numbered in the whole result
     */
    public List<Map<String, Object>> run(List<Map<String, Object>> records, long from, int count) {
        List<Map<String, Object>> selected = new ArrayList<>();
        for (Map<String, Object> record : records) {
            if (selects(record)) {
                selected.add(record);
            }
        }
        selected.sort(order());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long i = from; i < selected.size() && rows.size() < count; i++) {
            Map<String, Object> record = selected.get((int) i);
            Map<String, Object> row = new LinkedHashMap<>();
            columns.forEach(c -> row.put(c.name(), record.get(c.name())));
            row.put(ROW_NUMBER, (int) (i + 1));
            rows.add(row);
        }
        return rows;
    }

    /**
     * @param record a stored record
     * @return whether the script's condition selects it
     */
    public boolean selects(Map<String, Object> record) {
        return condition == null || Boolean.TRUE.equals(condition.test(record));
    }

    private Comparator<Map<String, Object>> order() {
        Comparator<Map<String, Object>> order = (a, b) -> 0;
        for (Ordering ordering : orderings) {
            QueryCondition.Column column = new QueryCondition.Column(ordering.field());
            // NULL sorts first ascending and last descending, as in SQL Server.
            Comparator<Map<String, Object>> byColumn = Comparator.comparing(column::value,
                    Comparator.nullsFirst(QueryCondition::compare));
            order = order.thenComparing(ordering.descending() ? byColumn.reversed() : byColumn);
        }
        String id = entity.idField();
        return order.thenComparing(r -> (Integer) r.get(id));
    }
}
