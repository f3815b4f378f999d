package dev.crmsync.app.logging;

import java.util.Locale;

/**
 * The format of crmsync's log lines. Commands run by a person default to {@link #TEXT}; a service whose logs are
 * shipped somewhere switches to {@link #JSON} with {@code -Dcrmsync.log.format=json} or
 * {@code CRMSYNC_LOG_FORMAT=json}. The system property wins over the environment variable, case does not matter,
 * and an unknown value falls back to text rather than silence the logs.
 */
public enum LogFormat {

    /** {@code 09:00:01.250 INFO  d.c.engine.SyncCycle - cycle finished read=12 writes=3}, for people. */
    TEXT,
    /** One JSON object per line: timestamp, level, logger, message, the MDC and the line's key-values as fields. */
    JSON;

    /** The system property that chooses the format. */
    public static final String PROPERTY = "crmsync.log.format";
    /** The environment variable that chooses the format when the system property is not set. */
    public static final String ENVIRONMENT = "CRMSYNC_LOG_FORMAT";

    /**
     * @param property the system property's value, or null
     * @param env      the environment variable's value, or null
     * @return the format they choose; {@link #TEXT} when neither chooses a known one
     */
    public static LogFormat of(String property, String env) {
        String chosen = property != null && !property.isBlank() ? property : env;
        if (chosen == null) {
            return TEXT;
        }
        return switch (chosen.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            default -> TEXT;
        };
    }

    /**
     * @return the format this process chooses, from {@value #PROPERTY} and {@value #ENVIRONMENT}
     */
    public static LogFormat ofProcess() {
        return of(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    /**
     * @return the name of the appender in {@code logback.xml} that writes this format
     */
    public String appender() {
        return name();
    }
}
