package dev.crmsync.app.docs;

import java.util.Locale;

/**
 * The markups a {@link Document} can be written in. Each renderer escapes the document's plain text for its
 * markup, so a value such as {@code R&D <intern>} in a value map shows as written and never as markup.
 *
 * <p>Threadsafe: the renderers hold no state.
 */
public enum DocumentFormat {
    /** CommonMark with GitHub's tables, for a repository or a wiki. */
    MARKDOWN("md"),
    /** reStructuredText with grid tables, for Sphinx or docutils. */
    RST("rst"),
    /** A standalone HTML page with its own inline style sheet, to open in a browser or attach to a ticket. */
    HTML("html");

    private final String configName;

    DocumentFormat(String configName) {
        this.configName = configName;
    }

    /**
     * @return the name on the command line and the usual file extension: {@code md}, {@code rst} or {@code html}
     */
    public String configName() {
        return configName;
    }

    /**
     * @param document the document
     * @return the document in this format, ending with a line break
     */
    public String render(Document document) {
        return switch (this) {
            case MARKDOWN -> MarkdownRenderer.render(document);
            case RST -> RstRenderer.render(document);
            case HTML -> HtmlRenderer.render(document);
        };
    }

    /**
     * @param name {@code md}, {@code rst} or {@code html}, any case ({@code markdown} is taken too)
     * @return the format
     * @throws IllegalArgumentException naming the accepted formats
     */
    public static DocumentFormat fromConfigName(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (DocumentFormat format : values()) {
            if (format.configName.equals(key)) {
                return format;
            }
        }
        if (key.equals("markdown")) {
            return MARKDOWN;
        }
        throw new IllegalArgumentException("unknown format '" + name + "': expected md, rst or html");
    }
}
