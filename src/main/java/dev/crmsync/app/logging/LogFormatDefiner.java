package dev.crmsync.app.logging;

import ch.qos.logback.core.PropertyDefinerBase;

/**
 * Tells {@code logback.xml} which appender to use, as {@code <define name="CRMSYNC_LOG_APPENDER" class="…"/>}:
 * {@code TEXT} or {@code JSON}, as {@link LogFormat#ofProcess()} chooses. A class rather than a variable in the
 * file, so that {@code json} and {@code JSON}, property and environment, are all read the same way.
 *
 * <p>Logback makes one at configuration time; it keeps no state.
 */
public final class LogFormatDefiner extends PropertyDefinerBase {

    @Override
    public String getPropertyValue() {
        return LogFormat.ofProcess().appender();
    }
}
