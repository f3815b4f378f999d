package dev.crmsync.app.docs;

import java.util.List;
import java.util.Objects;

/**
 * A document as a tree of values: a title over a list of blocks, some of which are sections holding blocks of
 * their own. It carries no markup; a {@link DocumentFormat} decides how it looks.
 *
 * <p>Immutable and threadsafe.
 *
 * @param title  the document's title
 * @param blocks what comes under the title, in order
 * @see DataflowDocument
 * @see DocumentFormat
 */
public record Document(String title, List<Block> blocks) {

    public Document {
        Text.requireText("title", title);
        blocks = List.copyOf(Objects.requireNonNull(blocks, "blocks"));
    }

    /**
     * @param format how to write it
     * @return the document in that format, ending with a line break
     */
    public String render(DocumentFormat format) {
        return format.render(this);
    }

    /**
     * @return the document as HTML without a page around it: sections and tables to place in another page
     */
    public String htmlFragment() {
        return HtmlRenderer.fragment(this);
    }
}
