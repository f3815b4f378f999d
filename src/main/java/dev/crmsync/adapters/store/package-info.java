/**
 * The SQL implementation of {@link dev.crmsync.ports.Store}, {@link dev.crmsync.adapters.store.SqlStore}, on
 * SQLite ({@link dev.crmsync.adapters.store.SqliteStore}, the embedded default) or PostgreSQL
 * ({@link dev.crmsync.adapters.store.PostgresStore}, for a store that outlives one machine), opened by
 * {@link dev.crmsync.adapters.store.Stores} from a {@link dev.crmsync.adapters.store.StoreAddress}.
 *
 * <p>Both run the same plain-SQL Flyway migrations ({@code db/migration}) and the same statements
 * ({@code StoreStatements}); they differ only in where their connections come from ({@code SqlStore.Handles}). Canonical values are
 * kept as typed JSON by {@link dev.crmsync.adapters.store.FieldValuesCodec}, so a decimal, a date or a reference
 * comes back exactly as it went in and a link's base hashes the same after a restart (invariant 2).
 *
 * <p>Part of layer 4 of the architecture (DESIGN.md section 3); nothing in the engine imports it.
 */
package dev.crmsync.adapters.store;
