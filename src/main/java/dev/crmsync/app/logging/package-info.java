/**
 * How crmsync logs: human text lines by default, one JSON object per line for log shippers, chosen at start by
 * {@code -Dcrmsync.log.format} or {@code CRMSYNC_LOG_FORMAT}. {@code logback.xml} asks
 * {@link dev.crmsync.app.logging.LogFormatDefiner} which appender to use.
 *
 * <p>In JSON, a line's key-values ({@code log.atInfo().addKeyValue("flow", …)}) and the MDC become fields: the
 * engine puts the cycle id under {@code cycle}, and while it records a change, the link id under {@code link} and
 * the record under {@code record}.
 */
package dev.crmsync.app.logging;
