package dev.crmsync.app.notify;

import dev.crmsync.app.service.CycleResult;
import dev.crmsync.app.service.FlowStatus;
import dev.crmsync.model.Flow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One thing a person should hear about: a flow started failing, recovered, was held by the delete circuit breaker,
 * or its dead letters reached the threshold.
 *
 * @param kind        what happened
 * @param flow        the flow
 * @param at          when the turn that showed it ended
 * @param since       when what it reports began; for {@link Kind#RECOVERED}, when the failure (or hold) that
 *                    ended began
 * @param previous    how the flow's turn ended before, or null for its first turn since the start
 * @param detail      why it failed or was held (no secrets), or null
 * @param deadLetters the flow's dead letters after the turn
 * @param threshold   the configured dead-letter threshold, or 0 when none is
 * @param connection  the connection of the flow where a process syncs several, or null where it syncs one
 */
public record AlertEvent(Kind kind, Flow flow, Instant at, Instant since, CycleResult previous, String detail,
                         long deadLetters, int threshold, String connection) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** What happened, as the {@code event} of the JSON. */
    public enum Kind {
        /** The flow's turn failed, and the one before did not (or there was none). */
        FAILING("failing"),
        /** The delete circuit breaker held back the flow's deletes, and had not in the turn before. */
        HELD("held"),
        /** The flow's turn ended well after failed or held ones. */
        RECOVERED("recovered"),
        /** The flow's dead letters reached the threshold, from below it. */
        DEAD_LETTERS("dead-letters");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /**
         * @return the name in the JSON
         */
        public String label() {
            return label;
        }
    }

    public AlertEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(since, "since");
    }

    /** An event of the one connection a process syncs. */
    public AlertEvent(Kind kind, Flow flow, Instant at, Instant since, CycleResult previous, String detail,
                      long deadLetters, int threshold) {
        this(kind, flow, at, since, previous, detail, deadLetters, threshold, null);
    }

    /**
     * @param name the connection's name
     * @return this event, naming the connection of its flow, for a process that syncs several
     */
    public AlertEvent ofConnection(String name) {
        return new AlertEvent(kind, flow, at, since, previous, detail, deadLetters, threshold, name);
    }

    /**
     * @return the event as the receiver gets it; {@code text} is a line for people, which chats such as Slack,
     *         Mattermost and Google Chat show as the message
     */
    public String json() {
        ObjectNode out = JSON.createObjectNode();
        out.put("source", "crmsync");
        if (connection != null) {
            out.put("connection", connection);
        }
        out.put("event", kind.label());
        out.put("flow", flow.configName());
        out.put("title", FlowStatus.titleOf(flow));
        out.put("at", at.truncatedTo(ChronoUnit.MILLIS).toString());
        out.put("since", since.truncatedTo(ChronoUnit.MILLIS).toString());
        out.put("previous", previous == null ? null : previous.label());
        out.put("detail", detail);
        out.put("deadLetters", deadLetters);
        if (threshold > 0) {
            out.put("deadLetterThreshold", threshold);
        } else {
            out.putNull("deadLetterThreshold");
        }
        out.put("text", text());
        return out.toString();
    }

    /**
     * @return one line for people, e.g. {@code crmsync: webCRM Persons ↔ Customcrm Contacts is failing: …}
     */
    public String text() {
        String title = "crmsync" + (connection == null ? "" : " (" + connection + ")") + ": "
                + FlowStatus.titleOf(flow);
        return switch (kind) {
            case FAILING -> title + " is failing: " + detail;
            case HELD -> title + ": the delete circuit breaker held back its deletes: " + detail;
            case RECOVERED -> title + " syncs again (" + (previous == CycleResult.HELD ? "held" : "failing")
                    + " since " + CLOCK.format(since) + ")";
            case DEAD_LETTERS -> title + " has " + deadLetters + " dead letters (threshold " + threshold
                    + "): records a system refused wait for a person";
        };
    }
}
