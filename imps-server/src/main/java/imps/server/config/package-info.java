/**
 * Server configuration: one immutable {@link imps.server.config.ServerConfig}, loaded from file,
 * environment and flags, then validated.
 */
package imps.server.config;
