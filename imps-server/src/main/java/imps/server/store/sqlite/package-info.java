/** The embedded default store: one SQLite file in WAL mode, schema migrated by Flyway. */
package imps.server.store.sqlite;
