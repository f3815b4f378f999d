package dev.crmsync.app.simulate.webcrm;

/**
 * A {@code /Queries} script the simulator cannot run: a syntax error, an unknown table or column, or a literal
 * that does not fit its column. The message says what is wrong and where, for a person to read.
 *
 * <p>This class is threadsafe: it is immutable.
 */
public final class QueryException extends IllegalArgumentException {

    /**
     * @param message what is wrong
     */
    public QueryException(String message) {
        super(message);
    }
}
