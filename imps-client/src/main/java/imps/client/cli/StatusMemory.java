package imps.client.cli;

import imps.protocol.Presence;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers, per server and user, the status last chosen in this chat ({@code /status}), in a small
 * properties file. The server remembers the status across logins too, but its login reply does not
 * say it; this memory lets the chat tell a user who logs in invisible that they are. A status set
 * from another client is not known here.
 *
 * <p>Failures to read or write the file are logged and otherwise ignored: it is a convenience.
 */
final class StatusMemory {
  private static final Logger log = LoggerFactory.getLogger(StatusMemory.class);

  private final Path file;

  /**
   * @param file the properties file; {@code null} remembers nothing
   */
  StatusMemory(Path file) {
    this.file = file;
  }

  /** The file in the XDG state directory: {@code $XDG_STATE_HOME/imps/status.properties}. */
  static Path defaultFile(Map<String, String> env) {
    String state = env.get("XDG_STATE_HOME");
    if (state != null && !state.isEmpty() && Path.of(state).isAbsolute()) {
      return Path.of(state, "imps", "status.properties");
    }
    String home = env.get("HOME");
    if (home == null || home.isEmpty()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home, ".local", "state", "imps", "status.properties");
  }

  /** The status last chosen by {@code user} on {@code server}, or {@code null} when unknown. */
  synchronized Presence recall(String server, String user) {
    if (file == null) {
      return null;
    }
    String v = load().getProperty(key(server, user));
    return "invisible".equals(v) ? Presence.INVISIBLE : "online".equals(v) ? Presence.ONLINE : null;
  }

  /** Remembers that {@code user} on {@code server} chose {@code status}. */
  synchronized void remember(String server, String user, Presence status) {
    if (file == null) {
      return;
    }
    Properties p = load();
    p.setProperty(key(server, user), status.label());
    try {
      Files.createDirectories(file.getParent());
      try (Writer w = Files.newBufferedWriter(file)) {
        p.store(w, "IMPS chat: the status last chosen with /status, per server and user");
      }
    } catch (IOException e) {
      log.debug("cannot write {}", file, e);
    }
  }

  private Properties load() {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      // nothing remembered yet
    } catch (IOException | IllegalArgumentException e) {
      log.debug("cannot read {}", file, e);
    }
    return p;
  }

  private static String key(String server, String user) {
    return server + "/" + user.toLowerCase(java.util.Locale.ROOT);
  }
}
