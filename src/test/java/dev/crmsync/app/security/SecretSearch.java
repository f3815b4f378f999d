package dev.crmsync.app.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The secrets of a test run, by name, and every text that was searched for them: log lines and answers, counted
 * apart for the report. A secret is found as it is, URL-encoded, or by its first {@value #FRAGMENT} characters, so
 * that a token cut short in a message ("token wcapp-1f2e…") counts as a leak too.
 *
 * <p>Not threadsafe: one test fills and reads it.
 */
final class SecretSearch {

    /** How much of a secret's start is enough to count as a leak; distinctive for every secret of the test. */
    static final int FRAGMENT = 12;

    /** A secret found in a text. */
    record Leak(String secret, String where, String excerpt) {
    }

    private final Map<String, Set<String>> secrets = new LinkedHashMap<>();
    private final List<Leak> leaks = new ArrayList<>();
    private int values;
    private int logLines;
    private int answers;

    /**
     * @param name  what the secret is, for the report
     * @param value the secret; at least {@value #FRAGMENT} characters, so that its start is distinctive
     */
    void secret(String name, String value) {
        if (value == null || value.length() < FRAGMENT) {
            throw new IllegalArgumentException(name + ": a secret of at least " + FRAGMENT + " characters is needed");
        }
        Set<String> forms = new LinkedHashSet<>(List.of(value, URLEncoder.encode(value, StandardCharsets.UTF_8),
                value.substring(0, FRAGMENT)));
        if (secrets.computeIfAbsent(name, n -> new LinkedHashSet<>()).addAll(forms)) {
            values++;
        }
    }

    /**
     * @param where which log, for the report
     * @param line  one log line
     */
    void logLine(String where, String line) {
        logLines++;
        search(where, line);
    }

    /**
     * @param where which request, for the report
     * @param text  its answer: status, headers and body
     */
    void answer(String where, String text) {
        answers++;
        search(where, text);
    }

    /**
     * @return the secrets' names
     */
    Set<String> names() {
        return secrets.keySet();
    }

    /**
     * @return how many secrets are searched for
     */
    int values() {
        return values;
    }

    /**
     * @return every secret found, with where
     */
    List<Leak> leaks() {
        return List.copyOf(leaks);
    }

    /**
     * @return log lines searched so far
     */
    int logLines() {
        return logLines;
    }

    /**
     * @return answers searched so far
     */
    int answers() {
        return answers;
    }

    private void search(String where, String text) {
        secrets.forEach((name, forms) -> {
            for (String form : forms) {
                int at = text.indexOf(form);
                if (at >= 0) {
                    int from = Math.max(0, at - 60);
                    leaks.add(new Leak(name, where, text.substring(from, Math.min(text.length(), at + 80))));
                    return;
                }
            }
        });
    }
}
