package imps.server.admin;

import imps.server.cluster.NodeFigures;
import imps.server.cluster.SessionRouter;
import imps.server.delivery.MessageCounts;
import imps.server.store.AdminStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The admin command {@code stats}: registered users and what the store holds (shared by every node
 * of a cluster), and each node's figures with their total: logged-in users, connections, and the
 * texts and clips the node stored and delivered since it started ({@link MessageCounts}). In a
 * cluster the node asked gathers the other live nodes' figures through their Redis streams, as
 * {@code sessions list} gathers their sessions; a node that does not answer within {@link #WAIT} is
 * left out (and named in the log).
 */
public final class StatsCommand {
  /** How long {@code stats} waits for the other nodes of a cluster to answer. */
  static final Duration WAIT = Duration.ofSeconds(2);

  // The names of a node's figures, as other nodes send them.
  private static final String ONLINE = "online";
  private static final String CONNECTIONS = "connections";
  private static final String TEXTS_STORED = "messagesStored";
  private static final String TEXTS_DELIVERED = "messagesDelivered";
  private static final String CLIPS_STORED = "clipsStored";
  private static final String CLIPS_DELIVERED = "clipsDelivered";
  private static final List<String> FIGURES =
      List.of(ONLINE, CONNECTIONS, TEXTS_STORED, TEXTS_DELIVERED, CLIPS_STORED, CLIPS_DELIVERED);

  private final AdminStore store;
  private final SessionRouter router;
  private final Supplier<NodeFigures> local;

  /**
   * @param local this node's figures now ({@link #figuresOf})
   */
  StatsCommand(AdminStore store, SessionRouter router, Supplier<NodeFigures> local) {
    this.store = store;
    this.router = router;
    this.local = local;
  }

  /** A node's figures, as {@code stats} shows them here or when another node asks. */
  public static NodeFigures figuresOf(
      String node, int online, int connections, MessageCounts.Snapshot messages) {
    Map<String, Long> f = new LinkedHashMap<>();
    f.put(ONLINE, (long) online);
    f.put(CONNECTIONS, (long) connections);
    f.put(TEXTS_STORED, messages.textsStored());
    f.put(TEXTS_DELIVERED, messages.textsDelivered());
    f.put(CLIPS_STORED, messages.clipsStored());
    f.put(CLIPS_DELIVERED, messages.clipsDelivered());
    return new NodeFigures(node, f);
  }

  Map<String, Object> run() {
    AdminStore.Counts held = store.counts();
    NodeFigures mine = local.get();
    List<NodeFigures> nodes = new ArrayList<>(router.figuresEverywhere(mine, WAIT));
    // This node first, the others by name.
    nodes.subList(1, nodes.size()).sort(Comparator.comparing(NodeFigures::node));
    Map<String, Long> total = new LinkedHashMap<>();
    List<Map<String, Object>> each = new ArrayList<>();
    for (NodeFigures n : nodes) {
      for (String f : FIGURES) {
        total.merge(f, n.counts().getOrDefault(f, 0L), Long::sum);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", n.node());
      m.putAll(shown(n.counts()));
      each.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("node", mine.node());
    // False while this node cannot reach the cluster's Redis: then only its own figures are here.
    out.put("clusterReachable", router.isHealthy());
    out.put("users", held.users());
    out.put("total", shown(total));
    out.put("nodes", each);
    Map<String, Object> kept = new LinkedHashMap<>();
    kept.put("messages", pair("kept", held.messages(), "undelivered", held.messagesUndelivered()));
    kept.put("clips", pair("kept", held.clips(), "undelivered", held.clipsUndelivered()));
    out.put("store", kept);
    return out;
  }

  /** A node's (or the total's) figures, texts and clips each as stored and delivered. */
  private static Map<String, Object> shown(Map<String, Long> f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(ONLINE, f.getOrDefault(ONLINE, 0L));
    m.put(CONNECTIONS, f.getOrDefault(CONNECTIONS, 0L));
    m.put("messages", storedAndDelivered(f, TEXTS_STORED, TEXTS_DELIVERED));
    m.put("clips", storedAndDelivered(f, CLIPS_STORED, CLIPS_DELIVERED));
    return m;
  }

  private static Map<String, Object> storedAndDelivered(
      Map<String, Long> f, String stored, String delivered) {
    return pair("stored", f.getOrDefault(stored, 0L), "delivered", f.getOrDefault(delivered, 0L));
  }

  private static Map<String, Object> pair(String k1, long v1, String k2, long v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }
}
