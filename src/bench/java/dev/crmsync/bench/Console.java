package dev.crmsync.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The benchmark's progress lines on standard out, each with the time since the run began, so that a person
 * watching a 15-minute run sees where it is. Threadsafe.
 */
final class Console {

    private final long start = System.nanoTime();
    private final PrintStream out;

    Console(PrintStream out) {
        this.out = out;
    }

    synchronized void step(String format, Object... args) {
        out.printf(Locale.ROOT, "[bench %s] %s%n", elapsedText(), String.format(Locale.ROOT, format, args));
        out.flush();
    }

    synchronized void raw(String text) {
        out.println(text);
        out.flush();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private String elapsedText() {
        long s = elapsed().toSeconds();
        return String.format(Locale.ROOT, "%2d:%02d", s / 60, s % 60);
    }
}
