package dev.crmsync.release;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A systemd unit file read as systemd reads it: {@code [Section]} headers, {@code Key=Value} lines, and comments
 * only on lines of their own ({@code #} or {@code ;} first). A {@code #} after a value is part of the value to
 * systemd, which is why the lines keep their values whole for a test to look at.
 *
 * @param sections each section's settings in file order
 */
record SystemdUnit(Map<String, List<Setting>> sections) {

    /**
     * @param key   the setting's name, e.g. {@code ExecStart}
     * @param value everything after the first {@code =}, trimmed as systemd trims it
     * @param line  its line number, for messages
     */
    record Setting(String key, String value, int line) {
    }

    /**
     * @param text the unit file
     * @return its sections
     * @throws IllegalArgumentException at a line systemd would not take: a setting before any section, a line
     *         without {@code =}, or a continuation line (which this project's units do not use)
     */
    static SystemdUnit parse(String text) {
        Map<String, List<Setting>> sections = new LinkedHashMap<>();
        List<Setting> current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.endsWith("\\")) {
                throw new IllegalArgumentException("line " + number + " continues on the next line: " + line);
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = new ArrayList<>();
                sections.put(line.substring(1, line.length() - 1), current);
                continue;
            }
            int equals = line.indexOf('=');
            if (current == null || equals <= 0) {
                throw new IllegalArgumentException("line " + number + " is neither a section nor a setting: " + line);
            }
            current.add(new Setting(line.substring(0, equals).strip(), line.substring(equals + 1).strip(), number));
        }
        return new SystemdUnit(sections);
    }

    /**
     * @return every setting of every section
     */
    List<Setting> settings() {
        return sections.values().stream().flatMap(List::stream).toList();
    }

    /**
     * @param section e.g. {@code Service}
     * @param key     e.g. {@code User}
     * @return the last value given for it (a later line overrides an earlier one), if any
     */
    Optional<String> value(String section, String key) {
        return sections.getOrDefault(section, List.of()).stream()
                .filter(setting -> setting.key().equals(key))
                .reduce((first, second) -> second)
                .map(Setting::value);
    }
}
