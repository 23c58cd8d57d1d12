package imps.server.transport;

import imps.protocol.Feature;
import imps.protocol.message.ImpsMessage;
import java.time.Instant;
import java.util.List;

/** The logged-in sessions of this node, for {@code sessions list} and {@code sessions kick}. */
public interface LiveSessions {

  /** One logged-in connection. */
  record Info(String user, String address, String transport, Instant since) {}

  /** The logged-in sessions now, by user name. */
  List<Info> list();

  /** Closes the connections logged in as the user with this name key; how many there were. */
  int kick(String nameKey);

  /**
   * Pushes {@code notice} to every logged-in session that opted into {@code feature} (after its
   * login backlog, like any push); how many took it.
   */
  int notify(ImpsMessage notice, Feature feature);
}
