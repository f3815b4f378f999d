package dev.crmsync.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The table of docs/container.md that says what the image is (its user, port, volume and health probe): the
 * rows {@code | what | value | why |}, the value without its backticks.
 */
final class ContainerDocs {

    static final Path FILE = Path.of("docs/container.md");

    private ContainerDocs() {
    }

    /**
     * @return each row's first cell and second cell, the latter as written (code spans kept)
     * @throws IOException when the page cannot be read
     */
    static Map<String, String> facts() throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(FILE)) {
            String[] cells = line.split("\\|");
            if (line.startsWith("|") && cells.length >= 4) {
                facts.putIfAbsent(cells[1].strip(), cells[2].strip());
            }
        }
        return facts;
    }
}
