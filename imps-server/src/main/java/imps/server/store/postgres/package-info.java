/** The PostgreSQL store for multi-node deployments: HikariCP readers, group-commit writers. */
package imps.server.store.postgres;
