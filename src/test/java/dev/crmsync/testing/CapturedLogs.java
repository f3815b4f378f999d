package dev.crmsync.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Every line crmsync logs while it is open, down to DEBUG, for tests that check what a log says and that no
 * secret is in it. Close it to stop catching.
 *
 * <p>Threadsafe as logback's list appender is: read {@link #lines()} after the lines of interest were logged.
 */
public final class CapturedLogs implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.crmsync");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            // The MDC is read on the logging thread, as an appender that writes at once reads it.
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };

    /** Starts catching. */
    public CapturedLogs() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    /**
     * @return the lines caught so far
     */
    public List<ILoggingEvent> lines() {
        return List.copyOf(appender.list);
    }

    /**
     * @param level   a level
     * @param message words the message holds
     * @return the first line of that level whose message holds them
     */
    public Optional<ILoggingEvent> first(Level level, String message) {
        return lines().stream().filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(message))
                .findFirst();
    }

    /**
     * @param event a line
     * @return its message with its key-value pairs, as a reader of the log sees them
     */
    public static String text(ILoggingEvent event) {
        return event.getFormattedMessage() + event.getKeyValuePairs();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(null);
    }
}
