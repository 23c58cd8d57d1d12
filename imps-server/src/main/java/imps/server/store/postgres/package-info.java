/** The PostgreSQL store for multi-node deployments: HikariCP readers, one group-commit writer. */
package imps.server.store.postgres;
