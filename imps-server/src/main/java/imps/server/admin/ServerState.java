package imps.server.admin;

/** Where a server is in its life, as {@code /ready} reports it. */
public enum ServerState {
  /** Listening, but not yet announced as started: not ready. */
  STARTING,
  /** Serving: ready when its store and cluster are. */
  READY,
  /** Shutting down or drained by an operator: not ready, so a balancer moves traffic away. */
  DRAINING;

  /** The name {@code /ready} shows. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
