/**
 * The stores over JDBC, shared by SQLite and PostgreSQL: both speak the same portable SQL ({@code
 * INSERT … RETURNING}, {@code ON CONFLICT DO NOTHING}, partial indexes), so one implementation
 * serves both and only connections and migrations differ per backend. {@link
 * imps.server.store.jdbc.JdbcDatabase} runs writes through one writer connection in group commits.
 */
package imps.server.store.jdbc;
