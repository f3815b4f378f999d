package dev.crmsync.app.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One mapping of the YAML configuration, read key by key. It substitutes {@code ${VAR}} and
 * {@code ${VAR:-default}} from the environment, names the full dotted key in every error, and refuses keys it
 * was not asked about, so that a typo ({@code api_key} for {@code api-key}) fails at start instead of being
 * ignored.
 *
 * <p>Not threadsafe: used while loading only.
 */
final class Section {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    /** How a {@code ${VAR}} travels through the YAML parser, which would read its braces as a flow mapping. */
    private static final Pattern SHIELDED = Pattern.compile("crmsync-env\\.([A-Za-z_][A-Za-z0-9_]*)\\.(-|x([0-9a-f]*))\\.end");

    private final String path;
    private final JsonNode node;
    private final Map<String, String> env;
    private final Set<String> read;

    Section(String path, JsonNode node, Map<String, String> env) {
        this(path, node, env, new HashSet<>());
    }

    private Section(String path, JsonNode node, Map<String, String> env, Set<String> read) {
        this.path = path;
        this.node = node;
        this.env = env;
        this.read = read;
        if (node != null && !node.isNull() && !node.isObject()) {
            throw new ConfigException(path.isEmpty() ? "(top level)" : path, "must be a mapping of keys to values");
        }
    }

    /**
     * @param newPath how the keys of this section are named from now on, e.g. {@code connections[acme]} once the
     *                item {@code connections[0]} has said its name
     * @return the same section under that name; what either reads counts as read for both
     */
    Section named(String newPath) {
        return new Section(newPath, node, env, read);
    }

    boolean has(String key) {
        JsonNode value = node == null ? null : node.get(key);
        return value != null && !value.isNull();
    }

    Section section(String key) {
        read.add(key);
        return new Section(key(key), node == null ? null : node.get(key), env);
    }

    /**
     * @return the mappings of a YAML list under {@code key}, each as a section named {@code key[i]}
     */
    List<Section> sections(String key) {
        read.add(key);
        JsonNode value = node == null ? null : node.get(key);
        List<Section> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw new ConfigException(key(key), "must be a list");
        }
        for (int i = 0; i < value.size(); i++) {
            out.add(new Section(key(key) + "[" + i + "]", value.get(i), env));
        }
        return out;
    }

    /**
     * @return the strings of a YAML list under {@code key}, or a single string as a list of one
     */
    List<String> strings(String key) {
        read.add(key);
        JsonNode value = node == null ? null : node.get(key);
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (value.isValueNode()) {
            out.add(substitute(key, value.asString()));
            return out;
        }
        if (!value.isArray()) {
            throw new ConfigException(key(key), "must be a value or a list of values");
        }
        for (JsonNode item : value) {
            if (!item.isValueNode()) {
                throw new ConfigException(key(key), "must hold plain values only");
            }
            out.add(substitute(key, item.asString()));
        }
        return out;
    }

    /**
     * @return the string pairs of a YAML mapping under {@code key}, in file order
     */
    java.util.LinkedHashMap<String, String> pairs(String key) {
        read.add(key);
        JsonNode value = node == null ? null : node.get(key);
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            throw new ConfigException(key(key), "must be a mapping of values, e.g. { Active: active }");
        }
        for (String name : value.propertyNames()) {
            JsonNode item = value.get(name);
            if (!item.isValueNode() || item.isNull()) {
                throw new ConfigException(key(key) + "." + name, "must be a plain value");
            }
            out.put(name, substitute(key, item.asString()));
        }
        return out;
    }

    List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (node != null) {
            node.propertyNames().forEach(keys::add);
        }
        return keys;
    }

    String requiredString(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            throw new ConfigException(key(key), "is required");
        }
        return value;
    }

    /**
     * Reads a credential's text without resolving its {@code ${VAR}}: for a configuration loaded for a command
     * that never sends the credential, which then needs no environment variable for it.
     *
     * @return whether the key holds a value
     * @throws ConfigException when the key holds a list or mapping
     */
    boolean hasUnresolved(String key) {
        read.add(key);
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isValueNode()) {
            throw new ConfigException(key(key), "must be a single value, not a list or mapping");
        }
        return !value.asString().isBlank();
    }

    String string(String key, String fallback) {
        read.add(key);
        JsonNode value = node == null ? null : node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isValueNode()) {
            throw new ConfigException(key(key), "must be a single value, not a list or mapping");
        }
        return substitute(key, value.asString());
    }

    double number(String key, double fallback) {
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key(key), "'" + text + "' is not a number");
        }
    }

    int integer(String key, int fallback, int min, int max) {
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < min || value > max) {
                throw new ConfigException(key(key), "must be between " + min + " and " + max + ", not " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key(key), "'" + text + "' is not a whole number");
        }
    }

    boolean bool(String key, boolean fallback) {
        String text = string(key, null);
        if (text == null) {
            return fallback;
        }
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key(key), "'" + text + "' is not true or false");
        };
    }

    String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * @throws ConfigException naming every key of this mapping that nothing asked for
     */
    void refuseUnknownKeys() {
        if (node == null || node.isNull()) {
            return;
        }
        Set<String> unknown = new TreeSet<>();
        node.propertyNames().forEach(name -> {
            if (!read.contains(name)) {
                unknown.add(name);
            }
        });
        // KnownKeys refuses unknown keys before anything is read; this catches a key the schema knows and the
        // loader does not read, which would otherwise be ignored.
        if (!unknown.isEmpty()) {
            throw new ConfigException(KnownKeys.describe(path, unknown.iterator().next(), List.copyOf(new TreeSet<>(read))));
        }
    }

    /**
     * Rewrites every {@code ${VAR}} and {@code ${VAR:-default}} so the YAML parser takes it as plain text, even
     * unquoted inside a flow mapping such as {@code { token: ${WEBCRM_TOKEN} }}; the default is hex-encoded so
     * that no character of it means anything to YAML.
     *
     * @param yaml the configuration text
     * @return the text with variables shielded
     */
    static String shieldVariables(String yaml) {
        Matcher m = VARIABLE.matcher(yaml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String fallback = m.group(3) == null ? "-"
                    : "x" + java.util.HexFormat.of().formatHex(m.group(3).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            m.appendReplacement(out, Matcher.quoteReplacement("crmsync-env." + m.group(1) + "." + fallback + ".end"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String substitute(String key, String text) {
        Matcher m = SHIELDED.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if ((value == null || value.isEmpty()) && m.group(3) != null) {
                value = new String(java.util.HexFormat.of().parseHex(m.group(3)), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (value == null) {
                throw new ConfigException(key(key), "environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
