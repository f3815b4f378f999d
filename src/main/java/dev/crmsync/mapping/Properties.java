package dev.crmsync.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes dotted property paths ({@code address.city}) in the nested maps that JSON objects become.
 */
final class Properties {

    private Properties() {
    }

    static Object get(Map<String, Object> properties, String path) {
        if (path.indexOf('.') < 0) {
            return properties.get(path);
        }
        Object current = properties;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static void put(Map<String, Object> properties, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> current = properties;
        for (int i = 0; i < parts.length - 1; i++) {
            current = (Map<String, Object>) current.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        current.put(parts[parts.length - 1], value);
    }
}
