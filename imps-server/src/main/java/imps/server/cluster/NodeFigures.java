package imps.server.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node's figures as the admin command {@code stats} shows them, on any node: the node's name
 * and named counts (online sessions, messages stored and delivered since it started, …), in order.
 * The cluster carries them without knowing what they mean.
 *
 * @param node the node's name ({@code node-id}, else the host name)
 */
public record NodeFigures(String node, Map<String, Long> counts) {
  public NodeFigures {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }
}
