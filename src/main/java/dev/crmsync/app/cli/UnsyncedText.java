package dev.crmsync.app.cli;

import dev.crmsync.app.api.UnsyncedRecords;
import dev.crmsync.app.api.WaitingRecord;
import dev.crmsync.model.Flow;
import dev.crmsync.ports.ObservedRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The text of the records that did not sync, for the terminal: the dead letters and the waiting records as
 * tables, and a one-line count of the waiting records for a command's summary.
 *
 * <p>This class is stateless and threadsafe.
 *
 * @see DeadLettersCommand
 */
final class UnsyncedText {

    private UnsyncedText() {
    }

    /**
     * Prints both tables: the dead letters first, then the waiting records, each followed by its count.
     *
     * @param out      where to print
     * @param unsynced what to print
     */
    static void print(PrintWriter out, UnsyncedRecords unsynced) {
        List<ObservedRecord> dead = unsynced.deadLetters();
        out.println("Dead letters: records a system refused, with its reason.");
        TextTable deadTable = new TextTable("FLOW", "SIDE", "ID", "TITLE", "ATTEMPTS", "REASON");
        dead.forEach(r -> deadTable.row(r.flow().configName(), r.side().label(), r.id(), unsynced.titleOf(r),
                r.attempts(), r.reason()));
        deadTable.print(out);
        out.printf("%d dead letter(s)%n", dead.size());

        List<WaitingRecord> waiting = unsynced.waiting();
        out.println();
        out.println("Waiting records: they sync by themselves once what they wait for is synced.");
        if (!waiting.isEmpty()) {
            TextTable waitingTable = new TextTable("FLOW", "SIDE", "ID", "TITLE", "WAITING", "REASON");
            waiting.forEach(w -> waitingTable.row(w.flow().configName(), w.side().label(), w.recordId(), w.title(),
                    age(w.waited()), w.explanation()));
            waitingTable.print(out);
        }
        long behindDead = waiting.stream().filter(WaitingRecord::isBlockedByDeadLetter).count();
        out.printf("%d waiting record(s)%s%n", waiting.size(), behindDead == 0 ? ""
                : ", " + behindDead + " of them for a dead letter: fix and replay the dead letter to free them");
        out.flush();
    }

    /**
     * A summary line for commands that report a run, e.g. {@code 3 record(s) wait (persons 2, products 1); see
     * crmsync dead-letters}.
     *
     * @param counts waiting records per flow, as {@link UnsyncedRecords#waitingCounts()} gives them
     * @return the line, or null when nothing waits
     */
    static String waitingLine(Map<Flow, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return null;
        }
        StringJoiner perFlow = new StringJoiner(", ", " (", ")");
        for (Flow flow : Flow.values()) {
            long n = counts.getOrDefault(flow, 0L);
            if (n > 0) {
                perFlow.add(flow.configName() + " " + n);
            }
        }
        return total + " record(s) wait" + perFlow + "; see crmsync dead-letters";
    }

    /**
     * @param waited how long
     * @return it in words people read at a glance: {@code 45 s}, {@code 12 min}, {@code 3 h 5 min},
     *         {@code 2 d 4 h}
     */
    static String age(Duration waited) {
        long seconds = Math.max(0, waited.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return hours + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        }
        return hours / 24 + " d" + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
    }
}
