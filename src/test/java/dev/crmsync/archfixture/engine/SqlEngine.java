package dev.crmsync.archfixture.engine;

import java.sql.Connection;

/** Breaks the layering on purpose: an engine class that talks SQL. Only {@code LayeringTest} reads it. */
public final class SqlEngine {

    /** @return nothing; the signature is the violation */
    public Connection connection() {
        return null;
    }
}
