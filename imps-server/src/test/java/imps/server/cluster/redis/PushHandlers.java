package imps.server.cluster.redis;

/**
 * {@link StreamBus.Handlers} for tests of the stream itself: pushes go to {@link #push}, every
 * other envelope is ignored, and a trim is passed to {@link #trimmed}.
 */
abstract class PushHandlers implements StreamBus.Handlers {
  @Override
  public void kick(Envelope.Kick k) {}

  @Override
  public void kickAck(Envelope.KickAck a) {}

  @Override
  public void resync(Envelope.Resync r) {}

  @Override
  public void close(Envelope.Close c) {}

  @Override
  public void listSessions(Envelope.ListSessions l) {}

  @Override
  public void sessionsPart(Envelope.SessionsPart p) {}

  @Override
  public void askFigures(Envelope.AskFigures a) {}

  @Override
  public void figures(Envelope.Figures f) {}

  @Override
  public void trimmed() {}
}
