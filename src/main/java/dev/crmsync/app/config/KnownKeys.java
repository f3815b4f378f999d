package dev.crmsync.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds every key of a configuration file that crmsync does not know, before any value is read, and refuses them
 * all in one message: each with its full dotted path and, where a known key at the same place is close, the one it
 * probably meant ({@code webcrm.tokn: unknown key; did you mean webcrm.token?}). Reading them first also means a
 * typo is reported as a typo, not as the required key it hides ({@code webcrm.token: is required}).
 *
 * <p>The known keys are those of {@code contracts/crmsync-config.schema.json}, the schema editors check the file
 * with: one description of the keys for the editor and for crmsync. {@code ConfigSchemaTest} holds the schema,
 * the example file and the loader in step, so a key added to the loader but not to the schema is refused here
 * and shows up in the tests at once.
 *
 * <p>This class is threadsafe: the schema is read once and never changed.
 *
 * @see ConfigLoader
 */
final class KnownKeys {

    private static final String SCHEMA = "/contracts/crmsync-config.schema.json";

    private KnownKeys() {
    }

    /**
     * @param root the configuration as read from YAML
     * @throws ConfigException naming every unknown key of the file
     */
    static void refuseUnknown(JsonNode root) {
        JsonNode schema = Schema.ROOT;
        List<String> unknown = new ArrayList<>();
        walk(schema, schema, root, "", unknown);
        if (unknown.size() == 1) {
            throw new ConfigException(unknown.getFirst());
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(unknown.size() + " unknown keys:\n  " + String.join("\n  ", unknown));
        }
    }

    /**
     * @param path  the dotted path of the mapping, empty at the top
     * @param key   the unknown key
     * @param known the keys known there
     * @return {@code path.key: unknown key; did you mean path.known?}, or the known keys when none is close
     */
    static String describe(String path, String key, List<String> known) {
        String prefix = path.isEmpty() ? "" : path + ".";
        String nearest = nearest(key, known);
        if (nearest != null) {
            return prefix + key + ": unknown key; did you mean " + prefix + nearest + "?";
        }
        if (known.isEmpty()) {
            return prefix + key + ": unknown key; " + (path.isEmpty() ? "the file" : path) + " takes no keys";
        }
        return prefix + key + ": unknown key; known keys here are " + String.join(", ", known);
    }

    private static void walk(JsonNode schema, JsonNode rule, JsonNode value, String path, List<String> out) {
        JsonNode resolved = resolve(schema, rule, value);
        if (value == null || resolved == null) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = resolved.path("properties");
            JsonNode others = resolved.path("additionalProperties");
            List<String> known = new ArrayList<>();
            properties.propertyNames().forEach(known::add);
            for (String name : value.propertyNames()) {
                String child = path.isEmpty() ? name : path + "." + name;
                if (properties.has(name)) {
                    walk(schema, properties.get(name), value.get(name), child, out);
                } else if (others.isObject()) {
                    walk(schema, others, value.get(name), child, out);
                } else if (others.isBoolean() && !others.asBoolean()) {
                    out.add(describe(path, name, known));
                }
            }
        } else if (value.isArray() && resolved.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(schema, resolved.get("items"), value.get(i), path + "[" + i + "]", out);
            }
        }
    }

    /**
     * Follows a local {@code $ref} and picks the {@code anyOf} or {@code oneOf} alternative of the value's shape.
     *
     * @return the rule for the value, or null when the schema says nothing about its keys
     */
    private static JsonNode resolve(JsonNode schema, JsonNode rule, JsonNode value) {
        JsonNode node = rule;
        if (node.has("$ref")) {
            node = schema.at(node.get("$ref").asString().substring(1));
        }
        for (String choice : new String[] {"anyOf", "oneOf"}) {
            if (node.has(choice)) {
                for (JsonNode alternative : node.get(choice)) {
                    JsonNode candidate = resolve(schema, alternative, value);
                    if (candidate != null && fits(candidate, value)) {
                        return candidate;
                    }
                }
                return null;
            }
        }
        return node.isMissingNode() ? null : node;
    }

    private static boolean fits(JsonNode rule, JsonNode value) {
        String type = rule.path("type").asString("");
        if (value.isObject()) {
            return type.equals("object") || rule.has("properties");
        }
        if (value.isArray()) {
            return type.equals("array") || rule.has("items");
        }
        return true;
    }

    /**
     * @return the known key closest to {@code key}, if it is close enough to be a slip of the finger: case,
     *         {@code _} for {@code -}, and one edit per four letters (at most three)
     */
    static String nearest(String key, List<String> known) {
        String typed = normalise(key);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            String target = normalise(candidate);
            int allowed = Math.max(1, Math.min(3, target.length() / 4));
            int distance = distance(typed, target);
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static String normalise(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
    }

    /** The optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The schema, read when first needed. */
    private static final class Schema {

        static final JsonNode ROOT = read();

        private static JsonNode read() {
            try (InputStream in = KnownKeys.class.getResourceAsStream(SCHEMA)) {
                if (in == null) {
                    throw new IllegalStateException("the configuration schema " + SCHEMA + " is missing from the build");
                }
                return JsonMapper.builder().build().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
