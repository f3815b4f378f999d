package dev.crmsync.app.simulate.webcrm;

import dev.crmsync.app.simulate.webcrm.QueryCondition.Column;
import dev.crmsync.app.simulate.webcrm.QueryCondition.Constant;
import dev.crmsync.app.simulate.webcrm.QueryCondition.Operand;
import dev.crmsync.app.simulate.webcrm.QueryLexer.Kind;
import dev.crmsync.app.simulate.webcrm.QueryLexer.Token;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser for the {@code /Queries} dialect described in {@link QueryScript}. One instance
 * parses one script.
 *
 * <p>This class is not threadsafe: use each instance from one thread, once.
 */
final class QueryParser {

    /** Words that end a table reference, so they cannot be taken for an alias. */
    private static final Set<String> CLAUSE_WORDS = Set.of("WHERE", "ORDER", "JOIN", "INNER", "LEFT", "RIGHT",
            "FULL", "CROSS", "ON", "GROUP");
    private static final Set<String> JOIN_WORDS = Set.of("JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS");
    private static final List<String> COMPARISONS = List.of("=", "<>", "!=", "<", "<=", ">", ">=");

    /** A column reference as written: {@code qualifier} is null unless it came as {@code table.column}. */
    private record Name(Token qualifier, Token column) {
    }

    /** A literal as written, converted once the column it is compared with is known. */
    private record Literal(Object value, Token token) {
    }

    private final List<Token> tokens;
    private int next;
    private WebcrmEntity entity;
    private String alias;

    QueryParser(String script) {
        if (script == null || script.isBlank()) {
            throw new QueryException("The script is empty; expected SELECT ... FROM ...");
        }
        this.tokens = QueryLexer.tokenize(script);
    }

    QueryScript parse() {
        expectKeyword("SELECT");
        List<Name> selected = selectList();
        expectKeyword("FROM");
        table();
        List<WebcrmField> columns = selected.isEmpty() ? WebcrmFieldCatalogue.fields(entity)
                : selected.stream().map(this::field).distinct().toList();
        QueryCondition condition = null;
        if (acceptKeyword("WHERE")) {
            condition = or();
        }
        List<QueryScript.Ordering> orderings = new ArrayList<>();
        if (acceptKeyword("ORDER")) {
            expectKeyword("BY");
            do {
                WebcrmField field = column();
                boolean descending = acceptKeyword("DESC");
                if (!descending) {
                    acceptKeyword("ASC");
                }
                orderings.add(new QueryScript.Ordering(field, descending));
            } while (acceptSymbol(","));
        }
        acceptSymbol(";");
        if (peek().kind() != Kind.END) {
            throw unexpected("the end of the script");
        }
        return new QueryScript(entity, columns, condition, orderings);
    }

    /** The selected column names, resolved after FROM; empty for {@code *}. */
    private List<Name> selectList() {
        if (acceptSymbol("*")) {
            return List.of();
        }
        List<Name> columns = new ArrayList<>();
        do {
            columns.add(qualifiedName());
        } while (acceptSymbol(","));
        return columns;
    }

    private void table() {
        Token name = expect(Kind.WORD, "a table name");
        entity = WebcrmEntity.fromTable(name.text()).orElseThrow(() -> new QueryException("Unknown table '"
                + name.text() + "'; the tables are " + Arrays.stream(WebcrmEntity.values())
                .map(WebcrmEntity::singular).toList()));
        acceptKeyword("AS");
        if (peek().kind() == Kind.WORD && !CLAUSE_WORDS.contains(peek().text().toUpperCase(Locale.ROOT))) {
            alias = take().text();
        }
        if (JOIN_WORDS.stream().anyMatch(peek()::isKeyword)) {
            throw new QueryException("JOIN is not supported by the simulator (" + peek().describe()
                    + "); query one table at a time");
        }
    }

    private QueryCondition or() {
        QueryCondition left = and();
        while (acceptKeyword("OR")) {
            left = new QueryCondition.Or(left, and());
        }
        return left;
    }

    private QueryCondition and() {
        QueryCondition left = not();
        while (acceptKeyword("AND")) {
            left = new QueryCondition.And(left, not());
        }
        return left;
    }

    private QueryCondition not() {
        if (acceptKeyword("NOT")) {
            return new QueryCondition.Not(not());
        }
        if (acceptSymbol("(")) {
            QueryCondition inner = or();
            expectSymbol(")");
            return inner;
        }
        return predicate();
    }

    private QueryCondition predicate() {
        Object left = operand();
        if (acceptKeyword("IS")) {
            boolean negated = acceptKeyword("NOT");
            expectKeyword("NULL");
            return new QueryCondition.IsNull(resolve(left, null), negated);
        }
        boolean negated = acceptKeyword("NOT");
        if (acceptKeyword("LIKE")) {
            Token pattern = expect(Kind.STRING, "a quoted LIKE pattern");
            return negate(QueryCondition.Like.of(resolve(left, null), pattern.text()), negated);
        }
        if (acceptKeyword("IN")) {
            return negate(in(left), negated);
        }
        if (negated) {
            throw unexpected("LIKE or IN after NOT");
        }
        Token operator = peek();
        if (operator.kind() != Kind.SYMBOL || !COMPARISONS.contains(operator.text())) {
            throw unexpected("a comparison (= <> != < <= > >=), IS, LIKE or IN");
        }
        take();
        Object right = operand();
        return new QueryCondition.Comparison(resolve(left, right), operator.text(), resolve(right, left));
    }

    private QueryCondition in(Object left) {
        expectSymbol("(");
        QueryCondition any = null;
        do {
            Object item = literal();
            QueryCondition equal = new QueryCondition.Comparison(resolve(left, item), "=", resolve(item, left));
            any = any == null ? equal : new QueryCondition.Or(any, equal);
        } while (acceptSymbol(","));
        expectSymbol(")");
        return any;
    }

    private static QueryCondition negate(QueryCondition condition, boolean negated) {
        return negated ? new QueryCondition.Not(condition) : condition;
    }

    /** A column ({@link WebcrmField}) or a {@link Literal}. */
    private Object operand() {
        return peek().kind() == Kind.WORD && !peek().isKeyword("NULL") ? column() : literal();
    }

    private Literal literal() {
        Token token = peek();
        if (acceptKeyword("NULL")) {
            return new Literal(null, token);
        }
        if (token.kind() == Kind.STRING) {
            return new Literal(take().text(), token);
        }
        boolean minus = acceptSymbol("-");
        Token number = expect(Kind.NUMBER, "a column, a quoted text, a number or NULL");
        try {
            BigDecimal value = new BigDecimal(number.text());
            return new Literal(minus ? value.negate() : value, token);
        } catch (NumberFormatException e) {
            throw new QueryException("'" + number.text() + "' at position " + number.position() + " is not a number");
        }
    }

    /** Turns a parsed operand into one that evaluates, converting a literal to the type of the other side. */
    private static Operand resolve(Object operand, Object otherSide) {
        if (operand instanceof WebcrmField field) {
            return new Column(field);
        }
        Literal literal = (Literal) operand;
        if (literal.value() == null || !(otherSide instanceof WebcrmField field)) {
            return new Constant(literal.value());
        }
        return new Constant(convert(literal, field));
    }

    private static Object convert(Literal literal, WebcrmField field) {
        Object value = literal.value();
        String text = value instanceof BigDecimal number ? number.toPlainString() : value.toString();
        String where = " for column " + field.name() + " at position " + literal.token().position();
        try {
            return switch (field.type()) {
                case TEXT -> text;
                case INT32, NUMBER -> value instanceof BigDecimal number ? number : new BigDecimal(text.strip());
                case BOOLEAN -> switch (text.strip().toLowerCase(Locale.ROOT)) {
                    case "1", "true" -> true;
                    case "0", "false" -> false;
                    default -> throw new QueryException("'" + text + "' is not a boolean (1, 0, 'true', 'false')" + where);
                };
                case DATE_TIME -> WebcrmTimestamps.parse(text);
            };
        } catch (NumberFormatException e) {
            throw new QueryException("'" + text + "' is not a number" + where);
        } catch (DateTimeException e) {
            throw new QueryException("'" + text + "' is not a date-time" + where);
        }
    }

    private WebcrmField column() {
        return field(qualifiedName());
    }

    /** A column name, possibly {@code table.column} or {@code alias.column}. */
    private Name qualifiedName() {
        Token first = expect(Kind.WORD, "a column name");
        if (!acceptSymbol(".")) {
            return new Name(null, first);
        }
        return new Name(first, expect(Kind.WORD, "a column name after " + first.text() + "."));
    }

    /** Resolves a name against the table, which is known by the time any name is resolved. */
    private WebcrmField field(Name name) {
        Token qualifier = name.qualifier();
        if (qualifier != null && !qualifier.text().equalsIgnoreCase(entity.singular())
                && !qualifier.text().equalsIgnoreCase(alias)) {
            throw new QueryException("Unknown table or alias '" + qualifier.text() + "' at position "
                    + qualifier.position());
        }
        Token column = name.column();
        return WebcrmFieldCatalogue.find(entity, column.text()).orElseThrow(() -> new QueryException(
                "Invalid column name '" + column.text() + "' at position " + column.position() + " for table "
                        + entity.singular()));
    }

    // ---- token helpers ----

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        return tokens.get(next++);
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            next++;
            return true;
        }
        return false;
    }

    private void expectKeyword(String keyword) {
        if (!acceptKeyword(keyword)) {
            throw unexpected(keyword);
        }
    }

    private void expectSymbol(String symbol) {
        if (!acceptSymbol(symbol)) {
            throw unexpected("'" + symbol + "'");
        }
    }

    private Token expect(Kind kind, String what) {
        if (peek().kind() != kind) {
            throw unexpected(what);
        }
        return take();
    }

    private QueryException unexpected(String expected) {
        return new QueryException("Expected " + expected + " but found " + peek().describe());
    }
}
