package dev.crmsync.app.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One part of a {@link Document}: a section with a heading, a paragraph, or a table. Text is plain: renderers
 * escape it for their markup, so a value from the configuration can never inject markup into the document.
 *
 * <p>Every implementation is an immutable record and threadsafe.
 */
public sealed interface Block permits Block.Section, Block.Paragraph, Block.Table {

    /**
     * A heading over blocks of its own; nested sections are sub-headings.
     *
     * @param title  the heading
     * @param blocks the content, in order
     */
    record Section(String title, List<Block> blocks) implements Block {

        public Section {
            Text.requireText("title", title);
            blocks = List.copyOf(Objects.requireNonNull(blocks, "blocks"));
        }

        /**
         * @param title  the heading
         * @param blocks the content, in order
         * @return the section
         */
        public static Section of(String title, Block... blocks) {
            return new Section(title, List.of(blocks));
        }
    }

    /**
     * A paragraph of plain text.
     *
     * @param text the text, on one line
     */
    record Paragraph(String text) implements Block {

        public Paragraph {
            Text.requireText("text", text);
            if (text.contains("\n")) {
                // A line break would end a Markdown table row or an RST paragraph early; sentences stay on one line.
                throw new IllegalArgumentException("a paragraph is one line: " + text);
            }
        }
    }

    /**
     * A table with a header row. Every row has as many cells as the header; an empty cell is an empty string.
     *
     * @param header the column names
     * @param rows   the rows, in order
     */
    record Table(List<String> header, List<List<String>> rows) implements Block {

        public Table {
            header = List.copyOf(header);
            if (header.isEmpty()) {
                throw new IllegalArgumentException("a table needs at least one column");
            }
            header.forEach(h -> Text.requireText("column name", h));
            List<List<String>> copy = new ArrayList<>();
            for (List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("a row of " + row.size() + " cells in a table of "
                            + header.size() + " columns: " + row);
                }
                copy.add(row.stream().map(cell -> {
                    String text = cell == null ? "" : cell;
                    if (text.contains("\n")) {
                        throw new IllegalArgumentException("a table cell is one line: " + text);
                    }
                    return text;
                }).toList());
            }
            rows = List.copyOf(copy);
        }
    }
}
