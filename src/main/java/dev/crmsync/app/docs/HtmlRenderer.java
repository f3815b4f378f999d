package dev.crmsync.app.docs;

import java.util.List;

/**
 * Writes a {@link Document} as one standalone HTML page: UTF-8, a small inline style sheet (no external files,
 * so the page can be mailed or attached as it is), sections as nested {@code <section>} elements.
 *
 * <p>Threadsafe: no state.
 */
final class HtmlRenderer {

    /** HTML has six heading levels; deeper sections share the last. */
    private static final int DEEPEST = 6;

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5;
                   color: #1f2328; max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; }
            h1 { font-size: 1.8rem; border-bottom: 2px solid #d0d7de; padding-bottom: .3rem; }
            h2 { font-size: 1.4rem; margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
            h3 { font-size: 1.1rem; margin-top: 1.5rem; }
            table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; font-size: .95rem; }
            th, td { border: 1px solid #d0d7de; padding: .35rem .7rem; text-align: left; vertical-align: top; }
            th { background: #f6f8fa; font-weight: 600; }
            tbody tr:nth-child(even) { background: #fafbfc; }
            td:first-child, td:nth-child(2) { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
            """;

    private HtmlRenderer() {
    }

    static String render(Document document) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(document.title())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(escape(document.title())).append("</h1>\n");
        blocks(out, document.blocks(), 2);
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    /**
     * @return the document's sections and tables without a page around them, to place inside another page (the
     * dashboard); headings start at h2 under the page's own h1
     */
    static String fragment(Document document) {
        StringBuilder out = new StringBuilder();
        blocks(out, document.blocks(), 2);
        return out.toString();
    }

    private static void blocks(StringBuilder out, List<Block> blocks, int level) {
        for (Block block : blocks) {
            switch (block) {
                case Block.Section section -> {
                    int h = Math.min(level, DEEPEST);
                    out.append("<section>\n<h").append(h).append('>').append(escape(section.title()))
                            .append("</h").append(h).append(">\n");
                    blocks(out, section.blocks(), level + 1);
                    out.append("</section>\n");
                }
                case Block.Paragraph paragraph -> out.append("<p>").append(escape(paragraph.text())).append("</p>\n");
                case Block.Table table -> table(out, table);
            }
        }
    }

    private static void table(StringBuilder out, Block.Table table) {
        out.append("<table>\n<thead>\n<tr>");
        table.header().forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
        out.append("</tr>\n</thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            out.append("<tr>");
            row.forEach(cell -> out.append("<td>").append(escape(cell)).append("</td>"));
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /**
     * @param text plain text
     * @return the text safe in element content and in quoted attribute values
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
