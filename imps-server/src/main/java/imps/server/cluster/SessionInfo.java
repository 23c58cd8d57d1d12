package imps.server.cluster;

import java.time.Instant;

/**
 * A logged-in connection as the admin command {@code sessions list} shows it, on any node.
 *
 * @param user the user's registered name
 * @param address the client's address (after a PROXY header or X-Forwarded-For)
 * @param transport {@code tcp}, {@code tls} or {@code websocket}
 * @param since when the connection opened
 * @param node the name of the node that holds it ({@code node-id}, else the host name)
 */
public record SessionInfo(
    String user, String address, String transport, Instant since, String node) {}
