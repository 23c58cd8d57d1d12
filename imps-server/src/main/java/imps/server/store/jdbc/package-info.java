/**
 * The stores over JDBC, shared by SQLite and PostgreSQL: both speak the same portable SQL ({@code
 * INSERT … RETURNING}, {@code ON CONFLICT DO NOTHING}, partial indexes), so one implementation
 * serves both and only connections and migrations differ per backend. Each store runs its {@link
 * imps.server.store.jdbc.Work} on a {@link imps.server.store.jdbc.Tx} through {@link
 * imps.server.store.jdbc.JdbcDatabase}, which sends writes to a {@link
 * imps.server.store.jdbc.GroupCommitWriter} (group commits) and reads to {@link
 * imps.server.store.jdbc.ReadConnections}.
 */
package imps.server.store.jdbc;
