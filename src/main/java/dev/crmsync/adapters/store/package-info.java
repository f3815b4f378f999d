/**
 * The SQL implementations of {@link dev.crmsync.ports.Store}: {@link dev.crmsync.adapters.store.SqliteStore}, the
 * embedded default, and (later) a PostgreSQL store for production and scale-out.
 *
 * <p>Both run the same plain-SQL Flyway migrations ({@code db/migration}) and the same statements
 * ({@code StoreStatements}); they differ only in how they hold connections and transactions. Canonical values are
 * kept as typed JSON by {@link dev.crmsync.adapters.store.FieldValuesCodec}, so a decimal, a date or a reference
 * comes back exactly as it went in and a link's base hashes the same after a restart (invariant 2).
 *
 * <p>Part of layer 4 of the architecture (DESIGN.md section 3); nothing in the engine imports it.
 */
package dev.crmsync.adapters.store;
