/**
 * The IMPS server: {@link imps.server.ImpsServer} wires the parts together; {@link
 * imps.server.Main} is the command line.
 */
package imps.server;
