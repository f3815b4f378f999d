package dev.crmsync.app.simulate.webcrm;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed {@code WHERE} condition, evaluated per record with SQL's three-valued logic: a comparison with NULL is
 * neither true nor false but unknown ({@code null}), and a record is selected only when its condition is true.
 *
 * <p>This interface and its records are threadsafe: they are immutable.
 */
sealed interface QueryCondition {

    /**
     * @param record a stored record
     * @return true, false, or null for unknown
     */
    Boolean test(Map<String, Object> record);

    /** Something a predicate compares: a column of the record or a constant already converted to its type. */
    sealed interface Operand {
        /**
         * @param record a stored record
         * @return the comparable value: String, BigDecimal, Boolean, LocalDateTime, or null
         */
        Object value(Map<String, Object> record);
    }

    /** A column; its value is normalised so that numbers of any kind compare with each other. */
    record Column(WebcrmField field) implements Operand {
        @Override
        public Object value(Map<String, Object> record) {
            Object value = record.get(field.name());
            return switch (value) {
                case Integer number -> BigDecimal.valueOf(number);
                case Double number -> BigDecimal.valueOf(number);
                case null, default -> value;
            };
        }
    }

    /** A literal, converted when parsed to the type of the column it is compared with. */
    record Constant(Object value) implements Operand {
        @Override
        public Object value(Map<String, Object> record) {
            return value;
        }
    }

    /** {@code left op right} with one of {@code = <> != < <= > >=}; text compares ignoring letter case. */
    record Comparison(Operand left, String operator, Operand right) implements QueryCondition {
        @Override
        public Boolean test(Map<String, Object> record) {
            Object a = left.value(record);
            Object b = right.value(record);
            if (a == null || b == null) {
                return null;
            }
            int order = compare(a, b);
            return switch (operator) {
                case "=" -> order == 0;
                case "<>", "!=" -> order != 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                case ">=" -> order >= 0;
                default -> throw new IllegalStateException("unknown operator " + operator);
            };
        }
    }

    /** {@code operand IS [NOT] NULL}. */
    record IsNull(Operand operand, boolean negated) implements QueryCondition {
        @Override
        public Boolean test(Map<String, Object> record) {
            return (operand.value(record) == null) != negated;
        }
    }

    /** {@code operand LIKE 'pattern'} with {@code %} for any run of characters and {@code _} for one. */
    record Like(Operand operand, Pattern pattern) implements QueryCondition {

        /**
         * @param operand what is matched
         * @param like    the SQL pattern
         * @return the predicate
         */
        static Like of(Operand operand, String like) {
            StringBuilder regex = new StringBuilder();
            for (char c : like.toCharArray()) {
                switch (c) {
                    case '%' -> regex.append(".*");
                    case '_' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return new Like(operand, Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE
                    | Pattern.UNICODE_CASE | Pattern.DOTALL));
        }

        @Override
        public Boolean test(Map<String, Object> record) {
            Object value = operand.value(record);
            return value == null ? null : pattern.matcher(text(value)).matches();
        }
    }

    /** {@code NOT condition}. */
    record Not(QueryCondition condition) implements QueryCondition {
        @Override
        public Boolean test(Map<String, Object> record) {
            Boolean value = condition.test(record);
            return value == null ? null : !value;
        }
    }

    /** {@code left AND right}: false wins over unknown. */
    record And(QueryCondition left, QueryCondition right) implements QueryCondition {
        @Override
        public Boolean test(Map<String, Object> record) {
            Boolean a = left.test(record);
            if (Boolean.FALSE.equals(a)) {
                return false;
            }
            Boolean b = right.test(record);
            if (Boolean.FALSE.equals(b)) {
                return false;
            }
            return a == null || b == null ? null : true;
        }
    }

    /** {@code left OR right}: true wins over unknown. */
    record Or(QueryCondition left, QueryCondition right) implements QueryCondition {
        @Override
        public Boolean test(Map<String, Object> record) {
            Boolean a = left.test(record);
            if (Boolean.TRUE.equals(a)) {
                return true;
            }
            Boolean b = right.test(record);
            if (Boolean.TRUE.equals(b)) {
                return true;
            }
            return a == null || b == null ? null : false;
        }
    }

    /**
     * Orders two non-null normalised values; text ignores letter case as webCRM's database collation does, and
     * values of different kinds compare as text.
     *
     * @param a a value
     * @param b another value
     * @return negative, zero or positive
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a instanceof String || b instanceof String || a.getClass() != b.getClass()) {
            return text(a).compareToIgnoreCase(text(b));
        }
        return ((Comparable) a).compareTo(b);
    }

    /**
     * @param value a normalised value
     * @return its text as a query sees it
     */
    static String text(Object value) {
        return switch (value) {
            case BigDecimal number -> number.stripTrailingZeros().toPlainString();
            case LocalDateTime time -> WebcrmTimestamps.format(time);
            default -> value.toString();
        };
    }
}
