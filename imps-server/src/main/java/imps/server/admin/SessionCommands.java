package imps.server.admin;

import imps.server.cluster.SessionInfo;
import imps.server.cluster.SessionRouter;
import imps.server.store.UserRecord;
import imps.server.transport.LiveSessions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The admin commands {@code sessions list} and {@code sessions kick}, and the closing of a user's
 * session that {@code users ban} and {@code users delete} share with the kick: this node's
 * connections directly, another node's through the {@link SessionRouter}.
 */
public final class SessionCommands {
  /** How long {@code sessions list} waits for the other nodes of a cluster to answer. */
  static final Duration LIST_WAIT = Duration.ofSeconds(2);

  private final LiveSessions sessions;
  private final SessionRouter router;
  private final String node;
  private final Function<Map<String, String>, UserRecord> user;

  /**
   * @param user the account the {@code name} argument names; throws {@link
   *     AdminCommands.NotFoundException} when there is none
   */
  SessionCommands(
      LiveSessions sessions,
      SessionRouter router,
      String node,
      Function<Map<String, String>, UserRecord> user) {
    this.sessions = sessions;
    this.router = router;
    this.node = node;
    this.user = user;
  }

  /**
   * This node's logged-in sessions, named with the node: what {@code sessions list} shows of it,
   * here or when another node asks.
   */
  public static List<SessionInfo> sessionsOf(LiveSessions sessions, String node) {
    List<SessionInfo> out = new ArrayList<>();
    for (LiveSessions.Info s : sessions.list()) {
      Instant since = s.since() == null ? Instant.EPOCH : s.since().truncatedTo(ChronoUnit.MILLIS);
      out.add(new SessionInfo(s.user(), s.address(), s.transport(), since, node));
    }
    return out;
  }

  /** Closes the user's connections here, or else its session on another node; how many. */
  int close(UserRecord u) {
    int n = sessions.kick(u.nameKey());
    if (n == 0 && router.closeSession(u.id())) {
      n = 1;
    }
    return n;
  }

  List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    List<SessionInfo> mine = sessionsOf(sessions, node);
    for (SessionInfo s : router.sessionsEverywhere(mine, LIST_WAIT)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("user", s.user());
      m.put("address", s.address());
      m.put("transport", s.transport());
      m.put("node", s.node());
      m.put("since", s.since().toString());
      out.add(m);
    }
    return out;
  }

  Map<String, Object> kick(Map<String, String> a) {
    UserRecord u = user.apply(a);
    int n = close(u);
    if (n == 0) {
      throw new AdminCommands.NotFoundException(u.name() + " has no session");
    }
    return Map.of("user", u.name(), "kicked", n);
  }
}
