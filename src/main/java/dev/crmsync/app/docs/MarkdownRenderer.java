package dev.crmsync.app.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a {@link Document} as CommonMark with GitHub-style pipe tables. Table columns are padded to one width
 * so that the file also reads well as plain text.
 *
 * <p>Threadsafe: no state.
 */
final class MarkdownRenderer {

    /** CommonMark has six heading levels; deeper sections share the last. */
    private static final int DEEPEST = 6;

    /** What CommonMark reads as an entity or numeric character reference; any other {@code &} is plain. */
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});");

    private MarkdownRenderer() {
    }

    static String render(Document document) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(escape(document.title())).append('\n');
        blocks(out, document.blocks(), 2);
        return out.toString();
    }

    private static void blocks(StringBuilder out, List<Block> blocks, int level) {
        for (Block block : blocks) {
            out.append('\n');
            switch (block) {
                case Block.Section section -> {
                    out.append("#".repeat(Math.min(level, DEEPEST))).append(' ').append(escape(section.title()))
                            .append('\n');
                    blocks(out, section.blocks(), level + 1);
                }
                case Block.Paragraph paragraph -> out.append(escape(paragraph.text())).append('\n');
                case Block.Table table -> table(out, table);
            }
        }
    }

    private static void table(StringBuilder out, Block.Table table) {
        List<String> header = table.header().stream().map(MarkdownRenderer::escape).toList();
        List<List<String>> rows = new ArrayList<>();
        table.rows().forEach(row -> rows.add(row.stream().map(MarkdownRenderer::escape).toList()));
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            // At least three: a delimiter cell needs three dashes in some renderers.
            widths[i] = Math.max(3, Text.width(header.get(i)));
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], Text.width(row.get(i)));
            }
        }
        row(out, header, widths);
        List<String> rule = new ArrayList<>();
        for (int width : widths) {
            rule.add("-".repeat(width));
        }
        row(out, rule, widths);
        rows.forEach(row -> row(out, row, widths));
    }

    private static void row(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            line.append(' ').append(Text.pad(cells.get(i), widths[i])).append(" |");
        }
        out.append(line).append('\n');
    }

    /**
     * Escapes what CommonMark would read as markup, and only that, so that property names such as
     * {@code vat_number} stay readable: an underscore inside a word cannot emphasise, a {@code <} not followed by
     * a letter cannot open a tag, and an {@code &} only matters when it starts an entity such as {@code &amp;}.
     *
     * @param text plain text
     * @return the text as Markdown inline content
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char before = i == 0 ? ' ' : text.charAt(i - 1);
            char after = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
            boolean escape = switch (c) {
                case '\\', '`', '*', '[', ']', '|' -> true;
                case '_' -> !(Character.isLetterOrDigit(before) && Character.isLetterOrDigit(after));
                case '<' -> Character.isLetter(after) || after == '/' || after == '!' || after == '?';
                case '&' -> ENTITY.matcher(text).region(i, text.length()).lookingAt();
                // At the start of a line these open a heading, quote, list or setext underline.
                case '#', '>', '-', '+', '=', '~' -> i == 0;
                // "1. text" at the start of a line is an ordered list.
                case '.', ')' -> i > 0 && leadingDigits(text, i);
                default -> false;
            };
            if (escape) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean leadingDigits(String text, int end) {
        for (int i = 0; i < end; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
