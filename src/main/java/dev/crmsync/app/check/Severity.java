package dev.crmsync.app.check;

/**
 * How much a {@link Finding} matters. A finding of any severity is printed; only errors fail the check.
 *
 * <p>This enum is threadsafe: its constants are immutable.
 */
public enum Severity {
    /** The sync would fail or lose data as configured: fix it before syncing. */
    ERROR,
    /** The sync would run, but some records or values will not come through as they should. */
    WARNING,
    /** Something the preflight could not check, said so that nobody takes silence for a pass. */
    INFO
}
