package dev.crmsync.app.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Refuses a YAML file that gives a key twice in one mapping, e.g. two {@code webcrm:} blocks, or {@code token:}
 * twice inside one. A YAML parser keeps the last one silently, so the first block's keys vanish and the error that
 * follows names a key that is there ({@code webcrm.token: is required}); refusing the duplicate names the real
 * mistake and where it is.
 *
 * <p>It reads the file's tokens itself rather than asking Jackson's strict duplicate detection, which reports
 * only the second occurrence: the message here gives both lines.
 *
 * <p>This class is threadsafe: it holds nothing.
 *
 * @see ConfigLoader
 */
final class DuplicateKeys {

    private DuplicateKeys() {
    }

    /**
     * @param yaml   the configuration text, variables shielded (the shielding keeps every line where it was)
     * @param mapper the mapper the configuration is read with
     * @throws ConfigException naming every key given more than once, with its dotted path and lines
     * @throws tools.jackson.core.JacksonException when the text is not YAML
     */
    static void refuse(String yaml, YAMLMapper mapper) {
        Map<String, List<Integer>> repeated = new LinkedHashMap<>();
        Deque<Container> open = new ArrayDeque<>();
        try (JsonParser parser = mapper.createParser(yaml)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                Container parent = open.peek();
                switch (token) {
                    case START_OBJECT, START_ARRAY -> open.push(new Container(
                            parent == null ? "" : parent.childPath(), token == JsonToken.START_ARRAY));
                    case END_OBJECT, END_ARRAY -> open.pop();
                    case PROPERTY_NAME -> parent.name(parser.currentName(),
                            parser.currentTokenLocation().getLineNr(), repeated);
                    default -> {
                        if (parent != null) {
                            parent.childPath();
                        }
                    }
                }
            }
        }
        if (repeated.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        repeated.forEach((path, at) -> lines.add(path + ": given " + times(at.size()) + where(at)
                + "; a key may appear once in its mapping"));
        throw new ConfigException(lines.size() == 1 ? lines.getFirst()
                : lines.size() + " keys given more than once:\n  " + String.join("\n  ", lines));
    }

    private static String times(int n) {
        return n == 2 ? "twice" : n + " times";
    }

    private static String where(List<Integer> lines) {
        TreeSet<Integer> distinct = new TreeSet<>(lines);
        if (distinct.size() == 1) {
            return ", on line " + distinct.first();
        }
        List<String> numbers = lines.stream().map(String::valueOf).toList();
        return ", on lines " + String.join(", ", numbers.subList(0, numbers.size() - 1)) + " and " + numbers.getLast();
    }

    /** A mapping or list being read: its dotted path, and what it has held so far. */
    private static final class Container {

        private final String path;
        private final boolean list;
        private final Map<String, Integer> firstLine = new LinkedHashMap<>();
        private String name;
        private int index;

        Container(String path, boolean list) {
            this.path = path;
            this.list = list;
        }

        void name(String key, int line, Map<String, List<Integer>> repeated) {
            name = key;
            String dotted = path.isEmpty() ? key : path + "." + key;
            Integer first = firstLine.putIfAbsent(key, line);
            if (first != null) {
                repeated.computeIfAbsent(dotted, k -> new ArrayList<>(List.of(first))).add(line);
            }
        }

        /** @return the path of the value that starts now; in a list, each call moves to the next item */
        String childPath() {
            if (list) {
                return path + "[" + index++ + "]";
            }
            return path.isEmpty() ? name : path + "." + name;
        }
    }
}
