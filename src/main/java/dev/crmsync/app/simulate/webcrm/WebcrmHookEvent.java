package dev.crmsync.app.simulate.webcrm;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code EventType} of a webCRM hook (API-NOTES §9): what happened to a record.
 *
 * <p>This enum is threadsafe.
 */
public enum WebcrmHookEvent {
    CREATE("Create"),
    UPDATE("Update"),
    DELETE("Delete");

    private final String dtoName;

    WebcrmHookEvent(String dtoName) {
        this.dtoName = dtoName;
    }

    /**
     * @return the name in the hook DTO and in deliveries, e.g. {@code Update}
     */
    public String dtoName() {
        return dtoName;
    }

    /**
     * Reads an event type as Json.NET reads an enum, ignoring letter case.
     *
     * @param text the value a client sent
     * @return the event, or empty when the text names none
     */
    static Optional<WebcrmHookEvent> fromDtoName(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.dtoName.toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }
}
