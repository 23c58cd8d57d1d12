package imps.server.cluster.redis;

import imps.server.cluster.redis.LocalSessions.LocalSession;

/**
 * What arrives on this instance's stream, handed to the part of the {@link RedisSessionRouter} it
 * concerns: pushes, resyncs and operator closes to the local session they name, kicks to {@link
 * Kicks}, the admin questions and answers to {@link SessionLists} and {@link FigureRequests}. Runs
 * on the stream reader thread, one envelope at a time, in order.
 */
final class StreamInbox implements StreamBus.Handlers {
  private final LocalSessions local;
  private final Kicks kicks;
  private final SessionLists lists;
  private final FigureRequests figures;
  private final NodeLiveness liveness;

  StreamInbox(
      LocalSessions local,
      Kicks kicks,
      SessionLists lists,
      FigureRequests figures,
      NodeLiveness liveness) {
    this.local = local;
    this.kicks = kicks;
    this.lists = lists;
    this.figures = figures;
    this.liveness = liveness;
  }

  @Override
  public void push(Envelope.PushTo p) {
    LocalSession l = local.get(p.userId());
    if (l != null) {
      l.session().deliver(p.push());
    }
  }

  @Override
  public void kick(Envelope.Kick k) {
    kicks.onKick(k);
  }

  @Override
  public void kickAck(Envelope.KickAck a) {
    kicks.onAck(a);
  }

  @Override
  public void resync(Envelope.Resync r) {
    LocalSession l = local.get(r.userId());
    if (l != null) {
      l.resync();
    }
  }

  @Override
  public void close(Envelope.Close c) {
    LocalSession l = local.get(c.userId());
    if (l != null && l.token() == c.token()) {
      l.session().closeByOperator();
    }
  }

  @Override
  public void listSessions(Envelope.ListSessions l) {
    lists.onRequest(l);
  }

  @Override
  public void sessionsPart(Envelope.SessionsPart p) {
    lists.onPart(p);
  }

  @Override
  public void askFigures(Envelope.AskFigures a) {
    figures.onRequest(a);
  }

  @Override
  public void figures(Envelope.Figures f) {
    figures.onAnswer(f);
  }

  @Override
  public void trimmed() {
    // Any envelope may have been lost: every session resends what is stored (before the pushes
    // read after the gap), and a lost kick is found by registering the sessions again.
    for (LocalSession l : local.all()) {
      l.resync();
    }
    liveness.reregisterSoon();
  }
}
