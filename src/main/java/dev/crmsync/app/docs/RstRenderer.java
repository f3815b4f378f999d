package dev.crmsync.app.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a {@link Document} as reStructuredText: the title over- and underlined with {@code =}, sections
 * underlined with {@code -}, {@code ~}, {@code ^} and {@code "} by depth, and tables as grid tables. Grid tables
 * rather than list-tables because they read as tables in the source too; every line of one table has the same
 * width, measured the way docutils measures it ({@link Text#width}), or docutils refuses the table.
 *
 * <p>Threadsafe: no state.
 */
final class RstRenderer {

    /** Underline characters by section depth; docutils only needs them consistent, these are the usual ones. */
    private static final char[] UNDERLINES = {'-', '~', '^', '"', '\''};

    /**
     * The starts of a line that docutils reads as a block rather than a paragraph: bullets, enumerators such as
     * {@code 1.}, {@code (a)} or {@code iv)}, comments and directives ({@code ..}), field lists ({@code :x:}),
     * quotes ({@code >>>}), and a run of punctuation that could be a transition or a section underline.
     */
    private static final Pattern BLOCK_START = Pattern.compile(
            "[-+*\u2022\u2023\u2043](\\s|$)|\\(?([0-9]+|[A-Za-z]|[ivxlcdmIVXLCDM]+|#)[.)](\\s|$)|\\.\\.|:|>|"
                    + "([!-/:-@\\[-`{-~])\\2{3,}|=|~|\\^");

    private RstRenderer() {
    }

    static String render(Document document) {
        StringBuilder out = new StringBuilder();
        String title = escape(document.title());
        String rule = "=".repeat(Text.width(title));
        out.append(rule).append('\n').append(title).append('\n').append(rule).append('\n');
        blocks(out, document.blocks(), 0);
        return out.toString();
    }

    private static void blocks(StringBuilder out, List<Block> blocks, int depth) {
        for (Block block : blocks) {
            out.append('\n');
            switch (block) {
                case Block.Section section -> {
                    String title = escape(section.title());
                    char underline = UNDERLINES[Math.min(depth, UNDERLINES.length - 1)];
                    out.append(title).append('\n').append(String.valueOf(underline).repeat(Text.width(title)))
                            .append('\n');
                    blocks(out, section.blocks(), depth + 1);
                }
                case Block.Paragraph paragraph -> out.append(escape(paragraph.text())).append('\n');
                case Block.Table table -> table(out, table);
            }
        }
    }

    private static void table(StringBuilder out, Block.Table table) {
        List<String> header = table.header().stream().map(RstRenderer::escape).toList();
        List<List<String>> rows = new ArrayList<>();
        table.rows().forEach(row -> rows.add(row.stream().map(RstRenderer::escape).toList()));
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(1, Text.width(header.get(i)));
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], Text.width(row.get(i)));
            }
        }
        out.append(border(widths, '-'));
        out.append(row(header, widths));
        // A header separator with no body row after it is an error in docutils: without rows, the header row
        // stands alone as the body.
        out.append(border(widths, rows.isEmpty() ? '-' : '='));
        for (List<String> row : rows) {
            out.append(row(row, widths));
            out.append(border(widths, '-'));
        }
    }

    private static String border(int[] widths, char line) {
        StringBuilder sb = new StringBuilder("+");
        for (int width : widths) {
            sb.append(String.valueOf(line).repeat(width + 2)).append('+');
        }
        return sb.append('\n').toString();
    }

    private static String row(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            sb.append(' ').append(Text.pad(cells.get(i), widths[i])).append(" |");
        }
        return sb.append('\n').toString();
    }

    /**
     * Escapes what reStructuredText would read as inline markup or as the start of a block. An underscore inside
     * a word ({@code vat_number}) is left alone: only one at a word's end makes a reference.
     *
     * @param text plain text
     * @return the text as reStructuredText inline content
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        // A line that starts like a list item, enumerator, comment, directive or quote would become one. A first
        // character the loop below escapes anyway must not get a second backslash, which would escape the first.
        if (BLOCK_START.matcher(text).lookingAt() && "\\`*|_".indexOf(text.charAt(0)) < 0) {
            out.append('\\');
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char before = i == 0 ? ' ' : text.charAt(i - 1);
            char after = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
            boolean escape = switch (c) {
                case '\\', '`', '*', '|' -> true;
                case '_' -> !(Character.isLetterOrDigit(before) && Character.isLetterOrDigit(after));
                // A paragraph ending in "::" announces a literal block.
                case ':' -> i == text.length() - 1 && before == ':';
                default -> false;
            };
            if (escape) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
