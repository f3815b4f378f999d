package dev.crmsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder recording of one piece of work, and its hot methods: where the sampled thread was
 * executing, counted by the top frame of each execution sample. The simulators run in the same JVM, so only the
 * samples of the thread that ran the work are counted.
 *
 * <p>Stateless and threadsafe.
 */
final class JfrProfile {

    private JfrProfile() {
    }

    static void record(Path file, Runnable work) {
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.start();
            work.run();
            recording.stop();
            Files.createDirectories(file.getParent());
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException("the JDK's 'profile' JFR settings do not parse", e);
        }
    }

    /**
     * @param file   a recording
     * @param thread the name of the thread whose samples count
     * @param n      how many methods
     * @return one line per method, busiest first: samples, share, method
     */
    static String hotMethods(Path file, String thread, int n) {
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        try {
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                        || event.getThread("sampledThread") == null
                        || !thread.equals(event.getThread("sampledThread").getJavaName())
                        || event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                RecordedFrame top = event.getStackTrace().getFrames().get(0);
                counts.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
                total++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int all = Math.max(1, total);
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(n)
                .map(e -> String.format(Locale.ROOT, "%6d  %5.1f %%  %s", e.getValue(), 100.0 * e.getValue() / all,
                        e.getKey()))
                .collect(Collectors.joining("\n", "", "\n"))
                + String.format(Locale.ROOT, "(%d samples of thread %s)%n", total, thread);
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
