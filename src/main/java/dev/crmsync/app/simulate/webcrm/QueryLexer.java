package dev.crmsync.app.simulate.webcrm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a {@code /Queries} script into tokens: words (names and keywords), quoted strings with {@code ''} as an
 * escaped quote, numbers, and the symbols of the dialect.
 *
 * <p>This class is threadsafe: it holds no state.
 */
final class QueryLexer {

    /** What a token is. */
    enum Kind { WORD, STRING, NUMBER, SYMBOL, END }

    /**
     * One token.
     *
     * @param kind     what it is
     * @param text     its text: a string's content without quotes, a symbol or word as written
     * @param position where it starts in the script, from 0, for error messages
     */
    record Token(Kind kind, String text, int position) {

        /**
         * @param keyword a keyword in upper case
         * @return true when this token is that keyword, in any letter case
         */
        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && text.toUpperCase(Locale.ROOT).equals(keyword);
        }

        /**
         * @param symbol a symbol
         * @return true when this token is that symbol
         */
        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /**
         * @return the token as an error message shows it
         */
        String describe() {
            return switch (kind) {
                case END -> "the end of the script";
                case STRING -> "'" + text + "' at position " + position;
                default -> "\"" + text + "\" at position " + position;
            };
        }
    }

    private static final List<String> TWO_CHAR_SYMBOLS = List.of("<>", "!=", "<=", ">=");
    private static final String ONE_CHAR_SYMBOLS = "*,().=<>;-";

    private QueryLexer() {
    }

    /**
     * @param script the script
     * @return its tokens, the last of kind {@link Kind#END}
     * @throws QueryException for an unterminated string or a character the dialect does not use
     */
    static List<Token> tokenize(String script) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                i = string(script, i, tokens);
            } else if (Character.isDigit(c)) {
                int end = i;
                while (end < script.length() && (Character.isDigit(script.charAt(end)) || script.charAt(end) == '.')) {
                    end++;
                }
                tokens.add(new Token(Kind.NUMBER, script.substring(i, end), i));
                i = end;
            } else if (Character.isLetter(c) || c == '_' || c == '[') {
                i = word(script, i, tokens);
            } else if (i + 1 < script.length() && TWO_CHAR_SYMBOLS.contains(script.substring(i, i + 2))) {
                tokens.add(new Token(Kind.SYMBOL, script.substring(i, i + 2), i));
                i += 2;
            } else if (ONE_CHAR_SYMBOLS.indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                i++;
            } else {
                throw new QueryException("Unexpected character '" + c + "' at position " + i);
            }
        }
        tokens.add(new Token(Kind.END, "", script.length()));
        return tokens;
    }

    private static int string(String script, int start, List<Token> tokens) {
        StringBuilder text = new StringBuilder();
        int i = start + 1;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\'') {
                if (i + 1 < script.length() && script.charAt(i + 1) == '\'') {
                    text.append('\'');
                    i += 2;
                    continue;
                }
                tokens.add(new Token(Kind.STRING, text.toString(), start));
                return i + 1;
            }
            text.append(c);
            i++;
        }
        throw new QueryException("The string starting at position " + start + " is not closed with '");
    }

    /** A name or keyword; SQL Server's {@code [bracketed]} names are accepted too. */
    private static int word(String script, int start, List<Token> tokens) {
        if (script.charAt(start) == '[') {
            int close = script.indexOf(']', start);
            if (close < 0) {
                throw new QueryException("The name starting at position " + start + " is not closed with ]");
            }
            tokens.add(new Token(Kind.WORD, script.substring(start + 1, close), start));
            return close + 1;
        }
        int end = start;
        while (end < script.length() && (Character.isLetterOrDigit(script.charAt(end)) || script.charAt(end) == '_')) {
            end++;
        }
        tokens.add(new Token(Kind.WORD, script.substring(start, end), start));
        return end;
    }
}
