/**
 * Server configuration: one immutable {@link imps.server.config.ServerConfig}, loaded from file,
 * environment and flags. Every setting is a typed {@link imps.server.config.ServerConfig.Key} whose
 * rule checks values from text and typed values alike.
 */
package imps.server.config;
